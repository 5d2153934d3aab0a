"""Stand-in for edx-platform's xmodule/modulestore/django.py `modulestore()` and the split store's `get_items`.

`get_items(course_key, qualifiers={"category": ...}, include_orphans=...)` (xmodule/modulestore/split_mongo/
split.py) lists the blocks of one type of the course's branch the LMS reads (published), each with its
`location` and `display_name`; orphans (blocks no longer in the course outline) only with
`include_orphans=True`; an unknown course raises ItemNotFoundError (`_lookup_course`). Here the content
is whatever a script `publish`es.
"""
from dataclasses import dataclass

from .exceptions import ItemNotFoundError


@dataclass
class StoredBlock:
    location: object
    category: str
    display_name: str
    orphan: bool = False


class Store:
    def __init__(self):
        self.courses = {}

    def publish(self, course_key, blocks):
        self.courses[str(course_key)] = list(blocks)

    def get_items(self, course_key, settings=None, content=None, qualifiers=None, include_orphans=True, **kwargs):
        if str(course_key) not in self.courses:
            raise ItemNotFoundError(course_key)
        category = (qualifiers or {}).get("category")
        return [
            block for block in self.courses[str(course_key)]
            if (category is None or block.category == category) and (include_orphans or not block.orphan)
        ]


_STORE = Store()


def modulestore():
    return _STORE
