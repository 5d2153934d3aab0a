"""French ships: the pages and the errors speak French to a browser that asks for it."""
import html as html_lib
import json
import re

import pytest
from django.test import Client
from workbench.runtime_util import reset_global_state

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::xblock.exceptions.UserIdDeprecationWarning"),
]

FRENCH_UNIT = "/scenario/coach_checkin.0/"


def text_of(content):
    """Text as a reader sees it: entities decoded, non-breaking spaces as spaces."""
    return html_lib.unescape(content).replace("\xa0", " ")


@pytest.fixture
def french():
    """A browser whose language is French, on the French unit."""
    reset_global_state()
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


def test_the_learner_reads_the_form_in_french(french):
    html = text_of(french.get(f"{FRENCH_UNIT}?student=mathilde").content.decode())
    for text in ("Qu'est-ce qui vous bloque ?", "Sur quoi travaillez-vous ?", "Qu'avez-vous déjà essayé ?"):
        assert text in html
    assert "Where are you stuck?" not in html


def test_the_coach_reads_the_queue_in_french(french):
    html = text_of(french.get(f"{FRENCH_UNIT}?student=coach_karim").content.decode())
    assert "File des demandes" in html
    assert "Coach queue" not in html


def test_a_refusal_is_explained_in_french(french):
    html = french.get(f"{FRENCH_UNIT}?student=mathilde").content.decode()
    usage_id = re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", html)[0]
    response = french.post(
        f"/handler/{usage_id}/ask/?student=mathilde",
        json.dumps({"working_on": "", "stuck_on": "x", "tried": "x", "client_token": "t"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Sur quoi travaillez-vous ?" in text_of(response.json()["error"])


def test_a_word_with_two_meanings_reads_right_in_each_place(french):
    """Message contexts: "Resolved" is a request's status (Résolue) and a count of requests (Résolues);
    "asked" comes before a date (envoyée le) and names a bar of the chart (envoyées)."""
    page = french.get(f"{FRENCH_UNIT}?student=mathilde").content.decode()
    usage_id = re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", page)[0]

    def call(handler, student, payload):
        response = french.post(f"/handler/{usage_id}/{handler}/?student={student}", json.dumps(payload),
                               content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    asked = {"working_on": "Mes compétences", "stuck_on": "Je ne sais pas nommer mes compétences",
             "tried": "Le test", "client_token": "t"}
    request_id = call("ask", "mathilde", asked)["request"]["id"]
    call("claim", "coach_karim", {"request_id": request_id})
    call("coach_reply", "coach_karim", {"request_id": request_id, "body": "Partez de vos verbes d'action."})
    call("resolve", "mathilde", {"request_id": request_id, "rating": 5})

    learner = text_of(french.get(f"{FRENCH_UNIT}?student=mathilde").content.decode())
    assert ">Résolue<" in learner and "envoyée le <time" in learner
    analytics = text_of(call("analytics", "coach_karim", {"scope": "point", "period": "all"})["html"])
    assert '<th scope="col">Envoyées</th><th scope="col">Résolues</th>' in analytics
    assert "<dt>Résolues</dt>" in analytics
    assert "</span> envoyées <span" in analytics and "</span> résolues</p>" in analytics
