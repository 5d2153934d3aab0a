"""Stand-in for edx-platform's xmodule/tabs.py, `CourseTab`: what a course tab class is to the platform.

Class attributes `type` (also the name it is registered under), `title` (a msgid the platform
translates when it shows it), `priority` (lower first, None last), `is_dynamic` (built for each
page, never saved in the course), `view_name`; `__init__(tab_dict)` sets `name` (the dict's or the
title), `tab_id` (the dict's or the type) and keeps the dict, whose `link_func` (or, without one,
`reverse(view_name, args=[course id])`) gives the tab's URL from `(course, reverse_func)`;
`tab.get(key)` reads an attribute; `is_enabled(course, user=None)` says whether to show it.
"""


def course_reverse_func(reverse_name):
    return lambda course, reverse_url_func: reverse_url_func(reverse_name, args=[str(course.id)])


class CourseTab:
    type = ""
    title = None
    priority = None
    is_hideable = False
    is_hidden = False
    is_movable = False
    is_collection = False
    is_dynamic = False
    is_default = True
    allow_multiple = False
    view_name = None
    course_staff_only = False

    def __init__(self, tab_dict):
        self.name = tab_dict.get("name", self.title)
        self.tab_id = tab_dict.get("tab_id", getattr(self, "tab_id", self.type))
        self.course_staff_only = tab_dict.get("course_staff_only", False)
        self.is_hidden = tab_dict.get("is_hidden", False)
        self.tab_dict = tab_dict

    @property
    def link_func(self):
        return self.tab_dict.get("link_func", course_reverse_func(self.view_name))

    @classmethod
    def is_enabled(cls, course, user=None):
        raise NotImplementedError()

    def get(self, key, default=None):
        return getattr(self, key, default)
