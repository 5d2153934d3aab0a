"""French typography, in the catalogues and in the pages: what a French reader expects of every sentence.

The conventions (README, *Translations*): a no-break space (U+00A0, or the narrow U+202F) before
: ; ? ! and inside « »; the apostrophe ’ (U+2019), never the straight one; French quotes « », never
“ ”; the ellipsis …; and every placeholder of the English ({name}, %(name)s) kept in the French.
"""
import re
from pathlib import Path

import lxml.html
import polib
import pytest
from django.test import Client
from story import ASK_IN_FRENCH, KARIM, MATHILDE
from story.workbench import FRENCH_UNIT, open_unit, page

CATALOGUES = Path(__file__).resolve().parent.parent / "coach_xblock" / "locale" / "fr" / "LC_MESSAGES"
NO_BREAK = "\u00a0\u202f"

# A colon, semicolon, question or exclamation mark used as punctuation: followed by a space, the end, a
# closing bracket or quote (not the colon of "https://" nor of a time).
PUNCTUATION = re.compile(r"(.)([:;?!])(?=[\s\u00a0\u202f)»]|$)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def faults(text):
    """What `text`, a French sentence, does against French typography: a list of sentences. HTML tags in it
    (a link's <a href="...">) are markup, not text, and left out."""
    text = re.sub(r"<[^>]*>", "", text)
    found = [f"no no-break space before {mark!r}" for before, mark in PUNCTUATION.findall(text)
             if before not in NO_BREAK]
    if re.search(f"«[^{NO_BREAK}]", text) or re.search(f"[^{NO_BREAK}]»", text):
        found.append("« » without a no-break space inside")
    if "'" in text:
        found.append("a straight apostrophe (write ’)")
    if re.search("[“”\"]", text):
        found.append("English quotes (write « »)")
    if "..." in text:
        found.append("three dots (write …)")
    return found


def entries(domain):
    """(msgid, msgid_plural, [msgstr, ...]) of each entry of the French catalogue of `domain`."""
    catalogue = polib.pofile(str(CATALOGUES / f"{domain}.po"))
    return [
        (e.msgid, e.msgid_plural, [e.msgstr_plural[n] for n in sorted(e.msgstr_plural)] if e.msgid_plural
         else [e.msgstr])
        for e in catalogue if not e.obsolete
    ]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_french_sentence_of_the_catalogues_follows_french_typography(domain):
    wrong = {}
    for msgid, _plural, forms in entries(domain):
        for form in forms:
            if faults(form):
                wrong[msgid] = (form, faults(form))
    assert wrong == {}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_placeholder_of_the_english_is_kept_in_the_french(domain):
    """The singular of a plural may leave out its count ("le dernier jour"), never another placeholder."""
    wrong = {}
    for msgid, plural, forms in entries(domain):
        expected = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
        for index, form in enumerate(forms):
            found = set(PLACEHOLDER.findall(form))
            if found - expected or (not (plural and index == 0) and found != expected):
                wrong[msgid] = (form, sorted(expected), sorted(found))
    assert wrong == {}


@pytest.mark.parametrize("text, fault", [
    ("Statut : Résolue", "no no-break space before ':'"),
    ("Vous bloquez\u00a0?Oui", None),
    ("«\u00a0Lien » : saisissez", "« » without a no-break space inside"),
    ("Qu'est-ce qui vous bloque\u00a0?", "a straight apostrophe (write ’)"),
    ("Écrivez “abc”", "English quotes (write « »)"),
    ("Envoi en cours...", "three dots (write …)"),
    ("pour un grand cours, <a href=\"%(url)s\">préparez un rapport</a>.", None),
    ("https://example.org et 10:30", None),
])
def test_the_typography_check_finds_each_fault(text, fault):
    found = faults(text)
    assert (fault in found) if fault else found == []


# The pages, rendered in French


def visible_texts(html, xpath):
    """The texts a person reads in the parts of `html` that `xpath` finds (scripts and styles left out)."""
    tree = lxml.html.fromstring(html)
    texts = []
    for part in tree.xpath(xpath):
        for hidden in part.xpath(".//script|.//style"):
            hidden.drop_tree()
        texts.append(" ".join(part.itertext()))
    return texts


@pytest.fixture
def french(fresh_workbench):
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


def test_the_learner_and_the_desk_in_french_put_a_no_break_space_before_each_colon(french):
    skills = open_unit(french, FRENCH_UNIT).skills
    first = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    skills.answer(KARIM, first, "Partez de vos verbes d’action.")
    skills.resolve(MATHILDE, first, 4, "Merci beaucoup")
    second = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    skills.desk.claim(KARIM, second)
    pages = {
        "learner": (page(french, FRENCH_UNIT, MATHILDE), "//*[@data-block-type='coach_checkin']"),
        "coach in the unit": (page(french, FRENCH_UNIT, KARIM), "//*[@data-block-type='coach_checkin']"),
        "desk request": (skills.desk.page("desk_request", KARIM, request_id=second), "//body"),
        "desk queue": (skills.desk.page("desk_course", KARIM), "//body"),
        "desk analytics": (skills.desk.page("desk_analytics", KARIM), "//body"),
    }
    for name, (html, xpath) in pages.items():
        texts = visible_texts(html, xpath)
        assert texts, name
        glued = [re.search(r".{0,30}(?<![\u00a0\u202f])[:;?!](?=\s).{0,30}", text) for text in texts]
        assert [match.group(0) for match in glued if match] == [], name
