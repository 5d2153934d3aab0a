"""Our strings in our own words: every translation of the package comes from its own catalogue first.

In Open edX, Django's catalogue of a language puts the platform's (LOCALE_PATHS, edx-platform's
conf/locale) before every app's, and plugin apps like ours come last in INSTALLED_APPS: through
Django's gettext, the platform's translation of a msgid wins over ours ("Other", "All", "None" ...).
The runtime's i18n service does not help: `XBlockI18nService` loads a block's own catalogue only from
conf/plugins-locale/xblock.v1/<module>/ (OEP-58, filled by `pull_xblock_translations` from
openedx-translations, where we are not; Tutor's build still creates that folder, empty) or, when that
folder is missing, from the package's `translations/`; otherwise it falls back to Django's gettext.

So the package translates with the functions of this module: our catalogue of the active language
(`locale/<lang>/LC_MESSAGES/django.mo`) first, Django's catalogue of that language only for what ours
lacks (Django's own words, such as those of `timesince`). Templates load `coach_i18n`, whose `trans`
and `blocktrans` tags translate the same way. The scripts get `js_catalog`, built from our
`djangojs.mo` alone. A language we do not ship reads English (and Django's words in that language).
"""
import contextlib
import functools
import gettext as gettext_module
import json
from pathlib import Path

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_noop, to_locale, trans_real

__all__ = [
    "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext", "pgettext_lazy", "number", "js_catalog",
]

NAMESPACE = "CoachCheckinI18N"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class CoachTranslation(gettext_module.GNUTranslations):
    """Our catalogue of one language, with Django's catalogue of the same language as its fallback."""

    def to_language(self):
        """The language code, as Django's translation objects give it (Django's `get_language` asks)."""
        return self._fallback.to_language()


_translations = {}


def translation_for(language):
    """Our translation of `language` (Django's alone when we ship none), rebuilt when Django rebuilds its own."""
    django_translation = trans_real.translation(language)
    cached = _translations.get(language)
    if cached is None or cached[0] is not django_translation:
        path = gettext_module.find("django", str(LOCALE_DIR), [to_locale(language)])
        if path is None:
            ours = django_translation
        else:
            with open(path, "rb") as catalogue:
                ours = CoachTranslation(catalogue)
            ours.add_fallback(django_translation)
        cached = _translations[language] = (django_translation, ours)
    return cached[1]


def _active_translation():
    language = get_language()
    return translation_for(language) if language else gettext_module.NullTranslations()


def gettext(message):
    """`message` in the active language, from our catalogue first."""
    return _active_translation().gettext(message) if message else message


def ngettext(singular, plural, number):
    """The form of `singular`/`plural` for `number` in the active language, from our catalogue first."""
    return _active_translation().ngettext(singular, plural, number)


def pgettext(context, message):
    """`message` as meant in `context` (a word with several meanings), from our catalogue first."""
    return _active_translation().pgettext(context, message)


gettext_lazy = lazy(gettext, str)
pgettext_lazy = lazy(pgettext, str)


def number(value, decimals=0):
    """`value` as a person reading the active language writes it: "2,000" and "3.0" in English, "2 000" and
    "3,0" in French (Django's formats of the language: its decimal and thousand separators, grouping on)."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@contextlib.contextmanager
def catalogue_active():
    """While inside, Django's own translation functions (its template tags) read our catalogue first.

    Django keeps the active translation of the thread in `trans_real._active`; `activate(language)`
    puts its catalogue there. This puts ours (which falls back to Django's) there instead, and puts
    back what was there.
    """
    language = get_language()
    if not language:
        yield
        return
    active = trans_real._active
    previous = getattr(active, "value", None)
    active.value = translation_for(language)
    try:
        yield
    finally:
        if previous is None:
            del active.value
        else:
            active.value = previous


SCRIPT = """window.%(namespace)s = (function () {
    'use strict';
    var catalog = %(catalog)s;
    function pluralIndex(n) {
        var index = %(plural)s;
        return typeof index === 'boolean' ? (index ? 1 : 0) : index;
    }
    return {
        gettext: function (msgid) {
            var value = catalog[msgid];
            if (value === undefined) { return msgid; }
            return typeof value === 'string' ? value : value[0];
        },
        ngettext: function (singular, plural, count) {
            var value = catalog[singular];
            if (value === undefined) { return count === 1 ? singular : plural; }
            return value[pluralIndex(count)];
        },
        interpolate: function (format, values) {
            return format.replace(/%%\\(\\w+\\)s/g, function (match) {
                return String(values[match.slice(2, -2)]);
            });
        }
    };
}());
"""


@functools.lru_cache(maxsize=32)
def js_catalog(language):
    """The script defining `window.CoachCheckinI18N` for `language` from our djangojs catalogue alone.

    The platform's djangojs catalogues (LOCALE_PATHS) never enter it, so that they cannot change our
    words; English (the source) when we ship no catalogue of `language`.
    """
    from django.views.i18n import JavaScriptCatalog  # a view: imported here, not by the workflow's translations

    path = gettext_module.find("djangojs", str(LOCALE_DIR), [to_locale(language or "en")])
    catalog, plural = {}, None
    if path is not None:
        view = JavaScriptCatalog()
        with open(path, "rb") as catalogue:
            view.translation = gettext_module.GNUTranslations(catalogue)
        catalog, plural = view.get_catalog(), view.get_plural()
    return SCRIPT % {
        "namespace": NAMESPACE,
        "catalog": json.dumps(catalog, ensure_ascii=False, sort_keys=True),
        "plural": plural or "(n != 1)",
    }
