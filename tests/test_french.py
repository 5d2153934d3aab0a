"""French ships: the pages and the errors speak French to a browser that asks for it."""
import html as html_lib
import re

import pytest
from django.test import Client
from django.utils import translation
from story import ASK_IN_FRENCH, KARIM, MATHILDE
from story.workbench import FRENCH_UNIT, ask_payload, open_unit, page

pytestmark = pytest.mark.django_db


def text_of(content):
    """Text as a reader sees it: entities decoded, non-breaking spaces as spaces."""
    return html_lib.unescape(content).replace("\xa0", " ")


@pytest.fixture
def french(fresh_workbench):
    """A browser whose language is French, on the French unit."""
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


def test_the_learner_reads_the_form_in_french(french):
    html = text_of(page(french, FRENCH_UNIT, MATHILDE))
    for text in ("Qu’est-ce qui vous bloque ?", "Sur quoi travaillez-vous ?", "Qu’avez-vous déjà essayé ?"):
        assert text in html
    assert "Where are you stuck?" not in html


def test_the_coach_reads_the_point_and_the_desk_in_french(french):
    html = text_of(page(french, FRENCH_UNIT, KARIM))
    assert "ouvrir le bureau des coachs" in html
    desk = open_unit(french, FRENCH_UNIT).skills.desk
    queue = text_of(desk.page("desk_course", KARIM))
    assert "Demandes du cours" in queue and "Demande suivante" in queue
    assert "Requests of the course" not in queue


def test_a_refusal_is_explained_in_french(french):
    skills = open_unit(french, FRENCH_UNIT).skills
    error = skills.refused("ask", MATHILDE, ask_payload(**{**ASK_IN_FRENCH, "working_on": ""}), status=400)
    assert "Sur quoi travaillez-vous ?" in text_of(error)


def test_a_word_with_two_meanings_reads_right_in_each_place(french):
    """Message contexts: "Resolved" is a request's status (Résolue) and a count of requests (Résolues);
    "asked" comes before a date (envoyée le) and names a bar of the chart (envoyées)."""
    skills = open_unit(french, FRENCH_UNIT).skills
    request_id = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    skills.answer(KARIM, request_id, "Partez de vos verbes d'action.")
    skills.resolve(MATHILDE, request_id, 5)

    learner = text_of(page(french, FRENCH_UNIT, MATHILDE))
    assert ">Résolue<" in learner and "envoyée le <time" in learner
    analytics = text_of(skills.ok("analytics", KARIM, {"scope": "point", "period": "all"})["html"])
    assert '<th scope="col">Envoyées</th><th scope="col">Résolues</th>' in analytics
    assert "<dt>Résolues</dt>" in analytics
    assert "</span> envoyées <span" in analytics and "</span> résolues</p>" in analytics


def test_a_learners_earlier_request_reads_with_french_punctuation(french):
    """On the desk, the learner's earlier requests: "(Résolue) : ..." with a no-break space before the colon,
    from the catalogue, not a colon the template glued to the status."""
    skills = open_unit(french, FRENCH_UNIT).skills
    first = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    skills.answer(KARIM, first, "Partez de vos verbes d'action.")
    skills.resolve(MATHILDE, first, 5)
    second = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    html = html_lib.unescape(skills.desk.page("desk_request", KARIM, request_id=second))
    assert "(Résolue)\xa0: " in html and "(Résolue): " not in html


def test_a_refusal_writes_its_numbers_the_french_way(french):
    """The server's messages group thousands as the page's hints do: "2 000", never "2000"."""
    skills = open_unit(french, FRENCH_UNIT).skills
    error = skills.refused("ask", MATHILDE, ask_payload(stuck_on="x" * 2001), status=400)
    assert "écrivez au plus 2\xa0000 caractères (vous en avez écrit 2\xa0001)" in error


@pytest.mark.parametrize("language, text", [
    ("fr", "1\xa0200 demandes attendent ici, 1\xa0001 en retard"),
    ("en", "1,200 requests wait here, 1,001 overdue"),
])
def test_a_coachs_backlog_counts_are_grouped_for_the_language(language, text):
    from coach_xblock import rendering

    context = {"title": "Nommer mes compétences", "backlog": {"waiting": 1200, "overdue": 1001},
               "desk_url": "/desk/", "viewer": {"display_name": "Karim"}}
    with translation.override(language):
        html = rendering.render("coach_summary.html", context)
    assert text in re.sub(r"<[^>]+>", "", html)
