"""Stand-in for edx-platform's lms/djangoapps/course_home_api/course_metadata/serializers.py, `CourseTabSerializer`:
how the learning MFE receives each tab of `get_course_tab_list(request.user, course)` (views.py,
`CourseHomeMetadataView.get`): `tab_id`; `title`, the platform's gettext of `tab.title or tab.get("name")`;
`url`, `request.build_absolute_uri(tab.link_func(course, reverse))`.
"""
from django.urls import reverse
from django.utils.translation import gettext as _


def serialize_tab(tab, course, request):
    return {
        "tab_id": tab.tab_id,
        "title": _(tab.title or tab.get("name", "")),
        "url": request.build_absolute_uri(tab.link_func(course, reverse)),
    }
