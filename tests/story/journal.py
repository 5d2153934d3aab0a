"""The story on the learner's coaching journal: its pages reached as a learner's browser reaches them, in the
workbench (`?student=<id>` names the learner, as on the desk)."""
import re
from dataclasses import dataclass

from django.test import Client

from . import unchanged
from .desk import desk_path, with_student

#: Every page of the journal (URL name, its kwargs beyond the course) with the method that reads or changes it.
JOURNAL_PAGES = {
    "journal": ("get", {}),
    "journal_preferences": ("post", {}),
    "journal_data": ("get", {"file": "json"}),
}


def journal_request_ids(html):
    """The ids of the requests listed on a journal page, in its order."""
    return [int(found) for found in re.findall(r'<article class="coach-request" data-request-id="(\d+)"', html)]


@dataclass
class Journal:
    """The coaching journal of one course, reached through its URLs."""

    client: Client
    course: str

    def path(self, name="journal", **kwargs):
        return desk_path(name, self.course, **kwargs)

    def get(self, student, name="journal", *, query=None, **kwargs):
        """GET the journal's page `name` as `student`; the response."""
        return self.client.get(with_student(self.path(name, **kwargs), student, **(query or {})))

    def post(self, student, data, name="journal_preferences", **kwargs):
        """POST the form `data` to the journal's `name` as `student`; the response."""
        return self.client.post(with_student(self.path(name, **kwargs), student), data)

    def page(self, student, *, query=None):
        """The HTML of the journal page that must show (200)."""
        response = self.get(student, query=query)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response.content.decode()

    def ids(self, student, **query):
        """The ids of the requests of a page of `student`'s journal."""
        return journal_request_ids(self.page(student, query=query))

    def refused(self, student, name="journal", data=None, *, status, says=None, method="get", **kwargs):
        """A page or form that must be refused with `status`, changing nothing; the text shown."""
        with unchanged():
            response = self.post(student, data or {}, name, **kwargs) if method == "post" else self.get(
                student, name, query=data, **kwargs)
        assert response.status_code == status, (name, response.status_code, response.content[:300])
        text = response.content.decode()
        if says is not None:
            assert says in text, text[:2000]
        return text
