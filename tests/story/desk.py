"""The story on the coach desk: its pages reached as a coach's browser reaches them, in the workbench.

Django's test client GETs the desk's pages and POSTs its forms with `?student=<id>`, as the workbench
names its user. `Desk(client, course)` is one course's desk; its actions (claim, release, answer)
POST the request page's forms and follow nothing: a success is a redirect (303) to the request.
"""
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from . import ANSWER, KARIM, unchanged

#: Every page of a course's desk (URL name, its kwargs beyond the course) with the method that reads or
#: changes it and a valid body.
COURSE_PAGES = {
    "desk_course": ("get", {}, None),
    "desk_next": ("get", {}, None),
    "desk_analytics": ("get", {}, None),
    "desk_workload": ("get", {}, None),
    "desk_coaches": ("get", {}, None),
    "desk_export": ("get", {"file": "requests"}, None),
    "desk_reports": ("get", {}, None),
    "desk_reports_ask": ("post", {}, {"file": "requests"}),
    "desk_moderation": ("get", {}, None),
    "desk_unblock": ("post", {}, None),
}
REQUEST_ACTIONS = {
    "desk_request": ("get", None),
    "desk_claim": ("post", {}),
    "desk_release": ("post", {}),
    "desk_answer": ("post", {"body": "Here are some tips."}),
    "desk_preview": ("post", {"body": "Here are **some** tips."}),
    "desk_report": ("post", {"reason": "Insults a coach."}),
    "desk_review": ("get", None),
    "desk_dismiss": ("post", {}),
    "desk_uphold": ("post", {}),
    "desk_block": ("post", {"reason": "Insults the coaches again and again."}),
}


def desk_path(name, course=None, **kwargs):
    """The path of the desk's page `name` (of `course`, when it has one)."""
    if course is not None:
        kwargs["course_id"] = course
    return reverse(f"coach_xblock:{name}", kwargs=kwargs)


def with_student(path, student, **query):
    """`path` as `student` asks for it in the workbench (?student=), with `query`."""
    params = {**query} if student is None else {"student": student, **query}
    return f"{path}?{urlencode(params)}" if params else path


def request_ids(html):
    """The ids of the requests listed on a desk page, in its order."""
    return [int(found) for found in re.findall(r'<tr data-request-id="(\d+)"', html)]


@dataclass
class Desk:
    """The coach desk of one course, reached through its URLs."""

    client: Client
    course: str

    def get(self, name, student, *, query=None, **kwargs):
        """GET the desk's page `name` as `student`; the response."""
        return self.client.get(with_student(desk_path(name, self.course, **kwargs), student, **(query or {})))

    def post(self, name, student, data=None, **kwargs):
        """POST the form `data` to the desk's `name` as `student`; the response."""
        return self.client.post(with_student(desk_path(name, self.course, **kwargs), student), data or {})

    def page(self, name, student=KARIM, *, query=None, **kwargs):
        """The HTML of a desk page that must show (200)."""
        response = self.get(name, student, query=query, **kwargs)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response.content.decode()

    def queue_ids(self, coach=KARIM, **filters):
        """The ids of the first page of the course's queue as `coach` filters it."""
        return request_ids(self.page("desk_course", coach, query=filters))

    def done(self, name, student, request_id, data=None):
        """POST a request's form that must succeed: a 303 back to the request."""
        response = self.post(name, student, data, request_id=request_id)
        assert response.status_code == 303, (response.status_code, response.content[:500])
        assert desk_path("desk_request", self.course, request_id=request_id) in response["Location"]
        return response

    def refused(self, name, student, data=None, *, status, says=None, method="post", **kwargs):
        """A page or form that must be refused with `status`, changing nothing; the text shown."""
        with unchanged():
            if method == "post":
                response = self.post(name, student, data, **kwargs)
            else:
                response = self.get(name, student, query=data, **kwargs)
        assert response.status_code == status, (name, response.status_code, response.content[:300])
        text = response.content.decode()
        if says is not None:
            assert says in text, text[:2000]
        return text

    # The coach's actions of the story.

    def claim(self, coach, request_id):
        return self.done("desk_claim", coach, request_id)

    def release(self, coach, request_id):
        return self.done("desk_release", coach, request_id)

    def answer(self, coach, request_id, body=ANSWER):
        """`coach` claims the request and answers it."""
        self.claim(coach, request_id)
        return self.done("desk_answer", coach, request_id, {"body": body})
