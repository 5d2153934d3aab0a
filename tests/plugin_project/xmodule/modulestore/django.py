"""Stand-in for edx-platform's xmodule/modulestore/django.py `modulestore()` and the split store's `get_items`.

`get_items(course_key, qualifiers={"category": ...}, include_orphans=...)` (xmodule/modulestore/split_mongo/
split.py) lists the blocks of one type of the course's branch the LMS reads (published), each with its
`location` and `display_name`; orphans (blocks no longer in the course outline) only with
`include_orphans=True`; an unknown course raises ItemNotFoundError (`_lookup_course`). `get_course(course_key)`
(xmodule/modulestore/mixed.py, `MixedModuleStore.get_course`) gives the course block, with its settings
field `language` (xmodule/course_block.py, "Course Language", None unless the team set it), or None for
an unknown course. Here the content is whatever a script `publish`es.
"""
from dataclasses import dataclass
from types import SimpleNamespace

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
        self.languages = {}

    def publish(self, course_key, blocks, language=None):
        self.courses[str(course_key)] = list(blocks)
        self.languages[str(course_key)] = language

    def get_course(self, course_key, depth=0, **kwargs):
        if str(course_key) not in self.courses:
            return None
        return SimpleNamespace(id=course_key, language=self.languages[str(course_key)])

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
