"""French ships complete: every source string has a French translation, and no view shows English.

The catalogue check re-extracts the strings from the sources (Django's makemessages, which
needs GNU gettext) so that a string added without its translation fails here. The view check
renders each view and state in English and in French and compares what a person reads: any
interface text left the same in both is English left in the French page.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import polib
import pytest
from django.test import Client
from story import ASK_IN_FRENCH, KARIM, MATHILDE
from story.desk import desk_path
from story.workbench import ENGLISH_COURSE, FRENCH_UNIT, open_unit

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parent.parent / "coach_xblock"
DEV = PACKAGE.parent / "dev"  # the workbench settings makemessages runs with
CATALOGUES = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")

# The editor around our fields in Studio belongs to xblock.utils; Open edX's catalogues translate it.
EDITOR_CHROME = {"Save", "Cancel", "Editor", "Settings", "Clear Value", "Default"}
# Words spelt the same in both languages.
SAME_IN_FRENCH = {"Action", "Coach", "Orientation", "CSV", "messages", "30 minutes", "UTC"}


def _untranslated(catalogue):
    return [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_of_the_catalogue_has_its_french_translation(domain):
    catalogue = polib.pofile(str(CATALOGUES / f"{domain}.po"))
    assert len(catalogue) > 0
    assert _untranslated(catalogue) == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_the_one_of_the_sources(domain):
    source = polib.pofile(str(CATALOGUES / f"{domain}.po"))
    compiled = polib.mofile(str(CATALOGUES / f"{domain}.mo"))
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in source if not e.obsolete}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled if e.msgid}
    assert compiled == source, "run msgfmt (or django-admin compilemessages) on the .po files"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is missing (make test installs it)")
@pytest.mark.parametrize("extensions, domain", [("html,py,txt", "django"), ("js", "djangojs")])
def test_every_source_string_is_in_the_french_catalogue(tmp_path, extensions, domain):
    """Extract the strings of the sources again: a new one without French fails here."""
    copy = tmp_path / "coach_xblock"
    shutil.copytree(PACKAGE, copy, symlinks=False, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "-d", domain, "-e", extensions],
        cwd=copy, check=True, capture_output=True,
        env={**__import__("os").environ, "PYTHONPATH": str(DEV), "COACH_VAR_DIR": str(tmp_path / "var")},
    )
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"))
    assert _untranslated(extracted) == [], f"translate these in coach_xblock/locale/fr/LC_MESSAGES/{domain}.po"


# Django's gettext reads the platform's catalogue first in Open edX (tests/platform/test_platform_i18n.py).
TRANSLATING = re.compile(r"\b(?:n?p?gettext(?:_lazy)?|ugettext\w*)\b")


def test_every_string_is_translated_from_our_catalogue_first():
    """Python translates through coach_xblock.i18n and templates load coach_i18n, never Django's own."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "i18n.py":
            continue
        text = path.read_text(encoding="utf-8")
        imported = " ".join(re.findall(r"^from django\.utils\.translation import (.+)$", text, re.M))
        if TRANSLATING.search(imported) or re.search(r"\btranslation\.(?:n?p?gettext|ugettext)", text):
            offenders.append(str(path.relative_to(PACKAGE)))
    for path in [*PACKAGE.glob("static/html/*.html"), *PACKAGE.glob("templates/**/*.*")]:
        if re.search(r"{%\s*load\s[^%]*\bi18n\b", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == [], "translate with coach_xblock.i18n and {% load coach_i18n %}"


# Views


OUR_BLOCKS = "//*[@data-block-type='coach_checkin']"
DESK = "//title|//*[contains(concat(' ', @class, ' '), ' coach-desk ')]"
JOURNAL = "//title|//*[contains(concat(' ', @class, ' '), ' coach-journal ')]"


def _reader_texts(html, ours=OUR_BLOCKS):
    """What a person reads in our blocks of a page (or the parts `ours` finds): text, labels, placeholders,
    alternatives."""
    tree = lxml.html.fromstring(html)
    texts = set()
    for block in tree.xpath(ours):
        for script in block.xpath(".//script|.//style"):
            script.drop_tree()
        for text in block.itertext():
            texts.update(part.strip() for part in re.split(r"[\n:·()]", text) if part.strip())
        for attribute in ("placeholder", "aria-label", "title", "alt"):
            texts.update(v.strip() for v in block.xpath(f".//@{attribute}") if v.strip())
    return texts


def _interface_words(texts, content):
    """The texts that are neither people's content nor numbers, ids, dates or addresses."""
    return {
        t for t in texts
        if re.search(r"[A-Za-z]{3,}", t)
        and not any(t in c or c in t for c in content)
        and not re.fullmatch(r"[\w.+-]+@[\w.-]+|https?://\S*|[#\d\s.,:/-]+", t)
    }


class Unit:
    """The French unit, seen by a French or an English browser."""

    def __init__(self):
        self.browsers = {lang: Client(HTTP_ACCEPT_LANGUAGE=lang) for lang in ("fr", "en")}
        self.skills = {lang: open_unit(browser, FRENCH_UNIT).skills for lang, browser in self.browsers.items()}

    def english_left(self, path, student, content, allowed=frozenset(), ours=OUR_BLOCKS):
        separator = "&" if "?" in path else "?"
        texts = {
            lang: _reader_texts(browser.get(f"{path}{separator}student={student}").content.decode(), ours)
            for lang, browser in self.browsers.items()
        }
        return _interface_words(texts["fr"] & texts["en"], content) - allowed - SAME_IN_FRENCH


ANSWER_IN_FRENCH, THANKS = "Partez de vos verbes d'action", "Merci beaucoup"
LEARNER_TEXTS = (*(text for text in ASK_IN_FRENCH.values() if text), ANSWER_IN_FRENCH, "Voici ma liste revue", THANKS)


@pytest.fixture
def unit(fresh_workbench):
    return Unit()


def _scenario_content(unit):
    """The author's texts of the French unit and the people's names: content, not interface."""
    from workbench.scenarios import get_scenarios

    xml = get_scenarios()["coach_checkin.0"].xml
    attributes = re.findall(r'(?:display_name|prompt|tips)="([^"]*)"', xml)
    content = [line.strip() for value in attributes for line in value.split("&#10;") if line.strip()]
    return (*content, *LEARNER_TEXTS, "mathilde", "coach_karim", "coach_lea", "Définir mes compétences")


def test_the_learner_reads_no_english_in_any_state(unit):
    content = _scenario_content(unit)
    assert unit.english_left(FRENCH_UNIT, "mathilde", content) == set(), "empty"
    skills = unit.skills["en"]
    request_id = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    assert unit.english_left(FRENCH_UNIT, "mathilde", content) == set(), "waiting"
    skills.claim(KARIM, request_id)
    assert unit.english_left(FRENCH_UNIT, "mathilde", content) == set(), "a coach is on it"
    skills.desk.done("desk_answer", KARIM, request_id, {"body": ANSWER_IN_FRENCH})
    assert unit.english_left(FRENCH_UNIT, "mathilde", content) == set(), "answered"
    skills.resolve(MATHILDE, request_id, 5, THANKS)
    assert unit.english_left(FRENCH_UNIT, "mathilde", content) == set(), "resolved"


def test_the_learner_reads_no_english_on_her_journal(unit):
    content = (*_scenario_content(unit), unit.skills["en"].course_key, ENGLISH_COURSE)
    skills = unit.skills["en"]
    journal = desk_path("journal", skills.course_key)
    assert unit.english_left(journal, "mathilde", content, ours=JOURNAL) == set(), "empty"
    request_id = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    skills.answer(KARIM, request_id, ANSWER_IN_FRENCH)
    assert unit.english_left(journal, "mathilde", content, ours=JOURNAL) == set(), "answered"
    skills.resolve(MATHILDE, request_id, 5, THANKS)
    assert unit.english_left(journal + "?done=preferences", "mathilde", content, ours=JOURNAL) == set(), "resolved"


def test_the_coach_reads_no_english_on_the_desk_in_the_unit_and_in_studio(unit):
    content = (*_scenario_content(unit), unit.skills["en"].course_key, ENGLISH_COURSE)
    skills = unit.skills["en"]
    request_id = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    assert unit.english_left(FRENCH_UNIT, "coach_karim", content) == set(), "the point's summary"
    desk = skills.desk
    pages = {
        "queue": desk_path("desk_course", desk.course),
        "filtered queue": desk_path("desk_course", desk.course) + "?status=all&overdue=1&age=1d",
        "request": desk_path("desk_request", desk.course, request_id=request_id),
        "analytics": desk_path("desk_analytics", desk.course),
        "coaches": desk_path("desk_coaches", desk.course),
        "home": desk_path("desk_home"),
    }
    for name, path in pages.items():
        assert unit.english_left(path, "coach_karim", content, ours=DESK) == set(), name
    desk.claim(KARIM, request_id)
    held = pages["request"] + "?done=claimed"
    assert unit.english_left(held, "coach_karim", content, ours=DESK) == set(), "request, claimed"
    desk.done("desk_answer", KARIM, request_id, {"body": ANSWER_IN_FRENCH})
    assert unit.english_left(pages["request"], "coach_karim", content, ours=DESK) == set(), "request, answered"
    assert unit.english_left(f"{FRENCH_UNIT}author_view/", "coach_karim", content) == set(), "author view"
    studio = unit.english_left(f"{FRENCH_UNIT}studio_view/", "coach_karim", content, allowed=EDITOR_CHROME)
    assert studio == set(), "studio view"
