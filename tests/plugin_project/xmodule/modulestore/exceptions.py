"""Stand-in for edx-platform's xmodule/modulestore/exceptions.py: what the store raises for an unknown course."""


class ItemNotFoundError(Exception):
    pass
