"""A learner downloads her own data of a course: her requests and their threads, as JSON or CSV attachments
(UTF-8, never cached, never sniffed), instants in ISO 8601 UTC; nobody else's, no coach's private note nor
address, and CSV cells a spreadsheet will not run."""
import csv
import io
import json
import re

import pytest
from story import KARIM, MATHILDE, PAUL
from story.workbench import ENGLISH_COURSE

from coach_xblock import workflow
from coach_xblock.domain import Person
from coach_xblock.learner_data import CSV_HEADER
from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def download(journal, student, file):
    response = journal.get(student, "journal_data", file=file)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"] == (
        f'attachment; filename="my-coaching-define-your-skills-coach-check-ins.{file}"')
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].endswith("charset=utf-8")
    return response.content.decode("utf-8")


@pytest.fixture
def story(en):
    """Mathilde asked at both points (Karim answered one, she replied), Paul at one; Karim keeps a note on her."""
    hers = en.skills.ask(MATHILDE, stuck_on="=HYPERLINK(\"http://evil.example\") je suis bloquée, aidez-moi")
    en.skills.answer(KARIM, hers, "Commencez par vos verbes.")
    en.skills.reply(MATHILDE, hers, "@SUM(1) voici ma liste")
    at_feasibility = en.feasibility.ask(MATHILDE)
    pauls = en.skills.ask(PAUL)
    workflow.add_note(ENGLISH_COURSE, MATHILDE, Person(KARIM, KARIM), "Private: she needs confidence.")
    return hers, at_feasibility, pauls


def test_the_json_holds_her_requests_and_threads_only(journal, story):
    hers, at_feasibility, pauls = story

    data = json.loads(download(journal, MATHILDE, "json"))

    assert data["course"] == ENGLISH_COURSE and data["learner_id"] == MATHILDE
    assert [r["id"] for r in data["requests"]] == [hers, at_feasibility]
    first = data["requests"][0]
    assert first["point_title"] == "Naming my skills" and first["status"] == "open"
    assert first["stuck_on"].startswith("=HYPERLINK"), "JSON keeps the text as written"
    assert [(m["author_role"], m["body"]) for m in first["messages"]] == [
        ("coach", "Commencez par vos verbes."), ("learner", "@SUM(1) voici ma liste")]
    instants = [first["created_at"], first["first_answered_at"], data["exported_at"],
                *(m["created_at"] for m in first["messages"])]
    assert all(ISO_UTC.match(moment) for moment in instants), instants
    text = json.dumps(data)
    assert "confidence" not in text, "the coaches' private notes are theirs"
    assert "@example.com" not in text, "no address, neither hers nor the coaches'"
    assert "coaches" not in first and "learner_email" not in first and "last_coach_email" not in first


def test_the_csv_has_a_line_per_message_and_neutralises_formulas(journal, story):
    hers, at_feasibility, _pauls = story

    rows = list(csv.reader(io.StringIO(download(journal, MATHILDE, "csv"))))

    assert tuple(rows[0]) == CSV_HEADER
    lines = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(line["request_id"], line["message_author_role"]) for line in lines] == [
        (str(hers), "coach"), (str(hers), "learner"), (str(at_feasibility), "")]
    assert lines[0]["stuck_on"].startswith("'=HYPERLINK")
    assert lines[1]["message_body"] == "'@SUM(1) voici ma liste"
    assert ISO_UTC.match(lines[0]["created_at"]) and ISO_UTC.match(lines[0]["message_created_at"])
    assert "confidence" not in rows.__repr__() and "@example.com" not in rows.__repr__()


def test_paul_downloads_his_own_and_nothing_of_hers(journal, story):
    _hers, _at_feasibility, pauls = story

    data = json.loads(download(journal, PAUL, "json"))
    text = download(journal, PAUL, "csv")

    assert [r["id"] for r in data["requests"]] == [pauls]
    assert "verbes" not in json.dumps(data) and "verbes" not in text and "HYPERLINK" not in text


def test_a_learner_without_requests_gets_an_empty_download(journal, en):
    assert json.loads(download(journal, PAUL, "json"))["requests"] == []
    assert list(csv.reader(io.StringIO(download(journal, PAUL, "csv")))) == [list(CSV_HEADER)]


@pytest.mark.parametrize("file", ["xml", "JSON", "csv.exe"])
def test_another_format_is_404(journal, story, file):
    journal.refused(MATHILDE, "journal_data", status=404, says="data.json or data.csv", file=file)


def test_a_coach_downloads_no_learners_data(journal, story):
    data = json.loads(download(journal, KARIM, "json"))
    assert data["requests"] == []
    assert CheckinRequest.objects.count() == 3
