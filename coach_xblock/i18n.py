"""The block's JavaScript catalogue (OEP-58 style): `window.CoachCheckinI18N` in the viewer's language.

The strings of static/js/ are extracted to the `djangojs` domain of `coach_xblock/locale/`;
`js_catalog` turns one language of it into a small script defining gettext, ngettext and
interpolate under the block's own namespace, so that it never touches the page's global
`django` catalogue (the LMS has its own).
"""
import functools
import json
from pathlib import Path

from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

NAMESPACE = "CoachCheckinI18N"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

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
    """The script defining `window.CoachCheckinI18N` for `language` (English when it has no catalogue)."""
    view = JavaScriptCatalog()
    view.translation = DjangoTranslation(language or "en", domain="djangojs", localedirs=[str(LOCALE_DIR)])
    plural = view.get_plural() or "(n != 1)"
    return SCRIPT % {
        "namespace": NAMESPACE,
        "catalog": json.dumps(view.get_catalog(), ensure_ascii=False, sort_keys=True),
        "plural": plural,
    }
