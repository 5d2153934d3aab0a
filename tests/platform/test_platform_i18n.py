"""A French LMS: every string of ours, Python, templates, scripts, emails and admin, reads in our French.

Stand-in of how Open edX translates an installed XBlock and plugin app, written from the platform's
code (openedx/openedx-platform, the same in Ulmo and Verawood):

- `lms/envs/common.py` and `cms/envs/common.py`: `LOCALE_PATHS` is `_make_locale_paths`
  (PREPEND_LOCALE_PATHS, then `REPO_ROOT/conf/locale`, the platform's catalogue, then the themes'),
  and plugin apps join INSTALLED_APPS last (`INSTALLED_APPS.extend(get_plugin_apps(...))`). Django
  puts LOCALE_PATHS before every app's catalogue, so the platform's French of a msgid wins. Here: a
  platform catalogue in LOCALE_PATHS translating every msgid of ours (and short shared words) with a
  marker, under French plural rules of three forms, and our app last (the workbench settings).
- `xmodule/modulestore/django.py`, `XBlockI18nService.__init__` and `get_python_locale`, with
  `xmodule/modulestore/api.py`, `get_python_locale_root`: the service of a block loads the `django`
  domain from `REPO_ROOT/conf/plugins-locale/xblock.v1/<module>/` when that folder exists (OEP-58,
  filled by atlas), else the `text` domain from `<module>/translations/`; when gettext finds no
  catalogue there for the language, it is Django's translation module. `xmodule/x_module.py`,
  `ModuleStoreRuntime.service`, calls a callable service with the block, and
  `cms/djangoapps/contentstore/views/preview.py`, `_prepare_runtime_for_preview`, gives
  `"i18n": XBlockI18nService` (the class) to Studio's preview, as the modulestore does to the LMS.
- Who fills that folder: Tutor's `build/openedx/Dockerfile` (overhangio/tutor, main = Tutor 21 for
  Ulmo, verawood = Tutor 22) runs `pull_xblock_translations`, which runs `atlas pull --expand-glob
  translations/*/<module>/conf/locale:<module>` for every installed XBlock
  (`openedx/core/djangoapps/plugins/i18n_api.py`, `atlas_pull_by_modules`); openedx/openedx-atlas's
  `atlas`, `pull_translations`, does `mkdir -p` of the target before it checks that the source exists.
  Our module is not in openedx-translations, so under Tutor the folder exists and is empty, and the
  service falls back to Django's gettext: the platform's words again. `compile_xblock_js_messages`
  builds a block's JS catalogue from that folder only: nothing for us either.

The marker never shows: the block, its templates, its scripts' catalogue, its emails and its admin
translate from our catalogue first (`coach_xblock.i18n`).
"""
import gettext
import html
import importlib.resources
import re
from pathlib import Path

import django.utils.translation
import polib
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.translation import get_language, to_locale
from story import ASK_IN_FRENCH, KARIM, MATHILDE
from story.journal import Journal
from story.workbench import FRENCH_UNIT, ask_payload, open_unit, page
from workbench.runtime import WorkbenchRuntime
from xblock.runtime import Runtime

from coach_xblock import i18n, notifications
from coach_xblock.models import Delivery

pytestmark = pytest.mark.django_db

CATALOGUES = Path(i18n.__file__).resolve().parent / "locale" / "fr" / "LC_MESSAGES"
MARK = "PLATFORM-FR:"
# French plural rules as the platform's catalogues declare them (three forms, CLDR), unlike ours.
PLATFORM_PLURAL = "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
# Short words every platform catalogue has, with or without us.
SHARED_WORDS = ("Other", "All", "None", "Save", "Cancel", "Status", "Topic", "Order", "Show", "Asked", "Resolved")
# The Studio editor's own buttons (xblock.utils): the platform's words, rightly.
EDITOR = ("Save", "Cancel")
# Django admin's own words that are also short words of ours.
ADMIN = ("All",)
REFUSED_ASK = {**ASK_IN_FRENCH, "working_on": ""}


def write_platform_catalogue(domain, locale_dir):
    """edx-platform's conf/locale/fr/LC_MESSAGES/<domain>.mo, translating each msgid of ours (context
    left out: the platform knows none of ours) and the shared words with the marker."""
    ours = polib.pofile(str(CATALOGUES / f"{domain}.po"))
    platform = polib.POFile()
    platform.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr", "Plural-Forms": PLATFORM_PLURAL}
    seen = set()
    for entry in [*ours, *(polib.POEntry(msgid=word) for word in SHARED_WORDS)]:
        if entry.obsolete or entry.msgid in seen:
            continue
        seen.add(entry.msgid)
        if entry.msgid_plural:
            forms = {0: f"{MARK} {entry.msgid}", 1: f"{MARK} {entry.msgid_plural}", 2: f"{MARK} {entry.msgid_plural}"}
            platform.append(polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgstr_plural=forms))
        else:
            platform.append(polib.POEntry(msgid=entry.msgid, msgstr=f"{MARK} {entry.msgid}"))
    folder = locale_dir / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    platform.save_as_mofile(str(folder / f"{domain}.mo"))


@pytest.fixture
def french_lms(settings, tmp_path, fresh_workbench):
    """Settings as in the LMS: the platform's catalogue in LOCALE_PATHS, our app last; a French browser."""
    locale_dir = tmp_path / "edx-platform" / "conf" / "locale"
    for domain in ("django", "djangojs"):
        write_platform_catalogue(domain, locale_dir)
    settings.LANGUAGE_CODE = "en"
    settings.LOCALE_PATHS = [str(locale_dir)]
    assert settings.INSTALLED_APPS[-1] == "coach_xblock", "Open edX adds plugin apps last (get_plugin_apps)"
    with django.utils.translation.override("fr"):
        assert django.utils.translation.gettext("Other") == f"{MARK} Other", "the platform's catalogue comes first"
    i18n.js_catalog.cache_clear()
    yield Client(HTTP_ACCEPT_LANGUAGE="fr")
    i18n.js_catalog.cache_clear()


def read(content):
    """What a person reads: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(content).replace("\xa0", " ")


def ours(text, where, *french, platforms=()):
    """Assert that our French words are in `text` and that no word of the platform's is, but `platforms`
    (the platform's own words around ours: the editor's buttons, Django admin's)."""
    text = read(text)
    for word in platforms:
        text = text.replace(f"{MARK} {word}", "")
    leaked = sorted(set(re.findall(rf"{MARK} [^<\"\n]{{0,40}}", text)))
    assert leaked == [], f"{where}: the platform's words replaced ours: {leaked}"
    for words in french:
        assert words in text, f"{where}: {words!r} missing"


class Unit:
    """The French unit of the workbench, seen by `browser`: its pages, and its skills point."""

    def __init__(self, browser):
        self.browser = browser
        self.skills = open_unit(browser, FRENCH_UNIT).skills

    def page(self, student, view=""):
        return page(self.browser, f"{FRENCH_UNIT}{view}", student)


def test_the_learner_the_coach_the_author_and_the_editor_read_our_french_in_a_french_lms(french_lms):
    unit = Unit(french_lms)
    ours(unit.page("mathilde"), "learner, nothing asked", "Qu’est-ce qui vous bloque ?", "Envoyer à un coach")
    refused = unit.skills.refused("ask", MATHILDE, ask_payload(**REFUSED_ASK), status=400)
    ours(refused, "refusal", "Sur quoi travaillez-vous ?")
    request_id = unit.skills.ask(MATHILDE, **ASK_IN_FRENCH)
    ours(unit.page("mathilde"), "learner, waiting", "En attente d’un coach", "envoyée le")

    ours(unit.page("coach_karim"), "the point for its coach", "ouvrir le bureau des coachs")
    desk = unit.skills.desk
    queue = desk.page("desk_course", KARIM, query={"status": "all"})
    ours(queue, "coach desk", "Demandes du cours", "Toutes", "Statut", "Tri", "Afficher", "Demande suivante",
         "Tous les thèmes")
    desk.claim(KARIM, request_id)
    ours(desk.page("desk_request", KARIM, request_id=request_id), "request, claimed", "Mettre fin à ma prise en charge")
    desk.done("desk_answer", KARIM, request_id, {"body": "Partez de vos verbes d'action."})
    ours(desk.page("desk_request", KARIM, request_id=request_id), "request, answered", "Répondue")
    ours(unit.page("mathilde"), "learner, answered", "Répondre à votre coach", "Note")
    unit.skills.resolve(MATHILDE, request_id, 5, "Merci")
    ours(unit.page("mathilde"), "learner, resolved", "Résolue")
    journal = Journal(french_lms, unit.skills.course_key)
    ours(journal.page(MATHILDE), "the learner's journal", "Votre coaching dans ce cours", "Résolue", "Thème",
         "Vos choix d’e-mails", "Télécharger en JSON")

    analytics = unit.skills.ok("analytics", KARIM, {"scope": "course", "period": "all"})["html"]
    ours(analytics, "analytics", "Par thème", "Envoyées", "Résolues", "envoyées", "résolues", "Compétences")
    ours(unit.page("coach_karim", "author_view/"), "author view", "Thème", "Consigne", "Compétences")
    editor = unit.page("coach_karim", "studio_view/")
    ours(editor, "Studio editor", "Nom affiché", "Consigne", "Thème", "Autre", "Recherche d’emploi", platforms=EDITOR)


class PlatformXBlockI18nService:
    """XBlockI18nService (xmodule/modulestore/django.py), small: the block's own catalogue where the
    platform looks for it, else Django's translation module."""

    repo_root = None  # edx-platform's REPO_ROOT

    def __init__(self, block):
        self.translator = django.utils.translation
        domain, folder = self.python_locale(block)
        language = get_language() or django_settings.LANGUAGE_CODE
        try:
            self.translator = gettext.translation(domain, folder, [to_locale(language)])
        except OSError:
            pass

    def python_locale(self, block):
        """get_python_locale: atlas's folder (domain `django`) if it exists, else the package's `translations/`."""
        module = getattr(block, "unmixed_class", type(block)).__module__.split(".")[0]
        atlas = self.repo_root / "conf" / "plugins-locale" / "xblock.v1" / module
        if atlas.is_dir():
            return "django", str(atlas)
        return "text", str(importlib.resources.files(module) / "translations")

    def __getattr__(self, name):
        return getattr(self.translator, "gettext" if name == "ugettext" else name)


def platform_service(runtime, block, service_name):
    """ModuleStoreRuntime.service (xmodule/x_module.py): a callable service is called with the block."""
    service = Runtime.service(runtime, block, service_name)
    return service(block) if callable(service) else service


@pytest.fixture(params=["tutor", "no atlas pull"])
def platform_i18n_service(request, monkeypatch, tmp_path):
    """Studio's and the LMS's i18n service for our block, with the conf/plugins-locale Tutor's build leaves
    (`pull_xblock_translations`: our folder made, empty) or none (no atlas pull ran)."""
    repo_root = tmp_path / "edx-platform"
    xblock_locale_root = repo_root / "conf" / "plugins-locale" / "xblock.v1"
    xblock_locale_root.mkdir(parents=True)
    if request.param == "tutor":
        (xblock_locale_root / "coach_xblock").mkdir()
    monkeypatch.setattr(PlatformXBlockI18nService, "repo_root", repo_root)
    initialise = WorkbenchRuntime.__init__

    def platform_runtime(runtime, *args, **kwargs):
        initialise(runtime, *args, **kwargs)
        runtime._services["i18n"] = PlatformXBlockI18nService  # as preview.py and the modulestore give it

    monkeypatch.setattr(WorkbenchRuntime, "__init__", platform_runtime)
    monkeypatch.setattr(WorkbenchRuntime, "service", platform_service)
    return PlatformXBlockI18nService


def test_with_the_platforms_i18n_service_the_block_still_reads_our_french(french_lms, platform_i18n_service):
    unit = Unit(french_lms)
    block = WorkbenchRuntime("mathilde").get_block(unit.skills.usage_id)
    with django.utils.translation.override("fr"):
        service = block.runtime.service(block, "i18n")
        assert service.translator is django.utils.translation, "no catalogue of ours where the service looks"
        assert service.gettext("Other") == f"{MARK} Other", "through the service: the platform's words"

    ours(unit.page("mathilde"), "learner", "Qu’est-ce qui vous bloque ?")
    ours(unit.skills.refused("ask", MATHILDE, ask_payload(**REFUSED_ASK), status=400), "refusal",
         "Sur quoi travaillez-vous ?")
    ours(unit.page("coach_karim"), "the point for its coach", "ouvrir le bureau des coachs")
    ours(unit.skills.desk.page("desk_course", KARIM), "coach desk", "Toutes", "Tri")
    ours(unit.page("coach_karim", "author_view/"), "author view", "Compétences")
    ours(unit.page("coach_karim", "studio_view/"), "Studio editor", "Nom affiché", "Autre", platforms=EDITOR)


def test_the_scripts_catalogue_is_ours_in_a_french_lms(french_lms):
    script = i18n.js_catalog("fr")
    ours(script, "JS catalogue", "Envoi en cours…", "Vos demandes ont été mises à jour.")
    page = Unit(french_lms).page("mathilde")
    ours(page, "learner page's script", "window.CoachCheckinI18N", "Envoi en cours…")


def test_emails_and_the_admin_read_our_french_in_a_french_lms(french_lms, admin_client):
    unit = Unit(french_lms)
    unit.skills.ask(MATHILDE, **ASK_IN_FRENCH)
    delivery = Delivery.objects.filter(event="asked", channel="email").first()
    delivery.language = "fr"
    subject, text, body = notifications.render_email(delivery)
    for part, words in ((subject, "demande de l’aide"), (text, "Bonjour"), (body, "Bonjour")):
        ours(part, "email", words)

    Delivery.objects.update(status="failed")
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    changelist = admin_client.get("/admin/coach_xblock/delivery/").content.decode()
    ours(changelist, "admin", "Points de coaching", "envois", "Renvoyer les envois en échec sélectionnés", "En échec",
         "E-mail", platforms=ADMIN)
    sent_again = admin_client.post(
        "/admin/coach_xblock/delivery/",
        {"action": "send_again", "_selected_action": [d.pk for d in Delivery.objects.all()]},
        follow=True,
    ).content.decode()
    ours(sent_again, "admin, sent again", "envois vont être renvoyés", platforms=ADMIN)
