"""The layers of coach_xblock import each other one way only (docs/architecture.md draws them).

Every module of the package is parsed with `ast`: its real imports (at the top or inside a function)
and its real calls, never its text. `ALLOWED` is the one table of who may import whom among our
modules; beside it, three rules about what else a layer may touch:
- the domain imports nothing but the standard library, Django's utilities and our translations:
  no XBlock, no ORM, no views;
- the read side (queries, analytics, exports, charts) never writes: no call of a method that saves,
  updates, creates or deletes;
- the presentation (the block, its fields and charts, the HTTP view) never reaches the ORM.
The last tests feed the same checks a module that breaks each rule, so that they are known to fail.
"""
import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coach_xblock"

# Who may import whom among the modules of coach_xblock; a package (workflow/, management/, ...)
# counts as one module, whose parts import each other freely. Arrows point down the layers.
ALLOWED = {
    # The package itself: empty, so that importing one of its modules loads no other.
    "__init__": set(),
    # The domain: values, errors, limits and rules. Everybody reads it; it reads only the translations.
    "domain": {"i18n"},
    # Foundations.
    "i18n": set(),
    "conf": set(),
    "events": set(),
    "scenarios": set(),
    "models": {"domain", "i18n"},
    # Write side: the workflow, the only writer of requests and messages, with the counters and the
    # outbox it writes in the transactions of its actions.
    "workflow": {"domain", "models", "counters", "notifications", "events", "conf", "i18n", "exports"},
    "counters": {"domain", "models"},
    "notifications": {"models", "conf", "i18n"},
    # Read side: reads the models, never the write side.
    "queries": {"domain", "models", "i18n"},
    "analytics": {"domain", "models", "i18n"},
    "workload": {"domain", "models", "i18n"},
    "moderation": {"domain", "models"},
    "exports": {"models", "conf", "i18n", "domain"},
    "learner_data": {"domain", "models", "queries", "exports", "i18n"},
    # Presentation: the XBlock (with its coach's and author's parts) and the plain Django view, over
    # the write and read sides.
    "block": {
        "coach_view", "authoring", "domain", "workflow", "queries", "analytics", "charts", "identity", "fields",
        "events", "jsonhandler", "scenarios", "formatting", "rendering", "i18n", "moderation",
    },
    "coach_view": {"identity", "queries"},
    "authoring": {"domain", "queries", "analytics", "identity", "jsonhandler", "i18n"},
    "fields": {"domain"},
    "charts": {"analytics", "workload", "domain", "i18n"},
    "identity": {"domain", "conf", "queries", "i18n"},
    "jsonhandler": {"domain", "identity", "i18n"},
    "templatetags": {"i18n", "formatting"},
    "formatting": {"domain"},
    "views": {"exports", "i18n"},
    "urls": {"views", "desk", "journal"},
    # The coach desk: plain Django pages over the same write and read sides, drawn by `rendering`.
    "desk": {
        "domain", "workflow", "queries", "analytics", "charts", "exports", "identity", "rendering", "formatting",
        "i18n", "moderation",
    },
    "rendering": {"domain", "queries"},
    # The learner's coaching journal of a course: plain Django pages like the desk's, over the same sides.
    "journal": {"domain", "workflow", "queries", "learner_data", "identity", "rendering", "i18n"},
    # The LMS's course tab to the desk, which only the platform loads (entry point openedx.course_tab).
    "tab": {"identity", "apps", "i18n"},
    # The Open edX plugin app and the runners around it (Celery, the timers' command, retirement).
    "apps": {"i18n"},
    "settings": {"conf"},
    "admin": {"notifications", "models", "i18n"},
    "retirement": {"identity", "workflow"},
    "tasks": {"notifications", "workflow"},
    "management": {"notifications", "workflow"},
    "migrations": set(),
}
DOMAIN = {"domain"}
DOMAIN_MAY_USE = ("django.utils",)  # besides the standard library and our translations
READ_SIDE = {"queries", "analytics", "workload", "exports", "charts", "learner_data", "moderation"}
WRITES = {"save", "update", "create", "delete", "bulk_create", "bulk_update", "update_or_create", "get_or_create"}
PRESENTATION = {
    "block", "coach_view", "authoring", "fields", "charts", "views", "urls", "jsonhandler", "templatetags", "desk",
    "rendering", "tab", "formatting", "journal",
}
ORM = ("django.db",)


def group_of(module):
    """The entry of ALLOWED a dotted module of ours belongs to: `coach_xblock.workflow.coach` -> "workflow"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path):
    """The dotted name of a file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(module, source, is_package=False):
    """The modules `source` imports, anywhere in it, as absolute dotted names (each `from x import y`
    also as x.y, which is a module when y is one)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def ours(names):
    """The groups of ALLOWED among `names` (our modules, and names imported from them; `from . import x`
    names the package itself too, which counts for nothing)."""
    return {group_of(name) for name in names if name.startswith("coach_xblock.")}


def calls_of(source):
    """The names of the methods `source` calls (`x.objects.filter(...).update(...)` -> filter, update)."""
    return {
        node.func.attr for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def broken_rules(module, source, is_package=False):
    """What `source`, as the module `module` of coach_xblock, does against the layers: a list of sentences."""
    group = group_of(module)
    if group not in ALLOWED:
        return [f"{module} is in no layer: add it to ALLOWED and to docs/architecture.md"]
    names = imports_of(module, source, is_package)
    broken = [
        f"{module} imports coach_xblock.{other}, which {group} may not import"
        for other in sorted(ours(names) - ALLOWED[group] - {group})
    ]
    outside = {name for name in names if not name.startswith("coach_xblock")}
    roots = {name.split(".")[0] for name in outside}
    broken += [f"{module} imports the development tools ({name})" for name in sorted(roots & {"coach_dev"})]
    if group in DOMAIN:
        broken += [
            f"{module} (the domain) imports {name}" for name in sorted(outside)
            if name.split(".")[0] not in sys.stdlib_module_names and not name.startswith(DOMAIN_MAY_USE)
        ]
    if group in PRESENTATION:
        broken += [f"{module} (presentation) reaches the ORM through {name}" for name in sorted(outside)
                   if name.startswith(ORM)]
    if group in READ_SIDE:
        broken += [f"{module} (read side) calls .{call}()" for call in sorted(calls_of(source) & WRITES)]
    return broken


def package_modules():
    """(dotted name, path) of every Python module of coach_xblock."""
    return [(module_name(path), path) for path in sorted(PACKAGE.rglob("*.py"))]


@pytest.mark.parametrize("module, path", package_modules(), ids=[name for name, _path in package_modules()])
def test_each_module_imports_only_what_its_layer_allows(module, path):
    source = path.read_text(encoding="utf-8")

    assert broken_rules(module, source, path.name == "__init__.py") == []


def test_the_allowed_imports_go_one_way():
    """No circle in the table, so none in the code it lets through (a circle would need a way back)."""
    seen, done = [], set()

    def visit(group):
        if group in done:
            return
        assert group not in seen, "a circle: " + " -> ".join([*seen[seen.index(group):], group])
        seen.append(group)
        for other in ALLOWED[group]:
            visit(other)
        seen.pop()
        done.add(group)

    for group in ALLOWED:
        visit(group)


def test_every_module_of_the_table_exists():
    found = {group_of(module) for module, _path in package_modules()}

    assert set(ALLOWED) == found


@pytest.mark.parametrize("module, source, rule", [
    ("coach_xblock.domain", "from xblock.core import XBlock", "(the domain) imports xblock.core"),
    ("coach_xblock.domain", "from django.db import models", "(the domain) imports django.db"),
    ("coach_xblock.domain", "def f():\n    from django.views.generic import View",
     "(the domain) imports django.views.generic"),
    ("coach_xblock.domain", "from .models import CheckinRequest", "imports coach_xblock.models"),
    ("coach_xblock.domain", "from . import workflow", "imports coach_xblock.workflow"),
    ("coach_xblock.block", "from . import models", "imports coach_xblock.models"),
    ("coach_xblock.block", "from .models import CheckinRequest", "imports coach_xblock.models"),
    ("coach_xblock.block", "from django.db.models import Q", "(presentation) reaches the ORM"),
    ("coach_xblock.views", "from .models import Delivery", "imports coach_xblock.models"),
    ("coach_xblock.queries", "from . import workflow", "imports coach_xblock.workflow"),
    ("coach_xblock.analytics", "from .counters import count_asked", "imports coach_xblock.counters"),
    ("coach_xblock.queries", "def f(q):\n    q.filter(pk=1).update(status='closed')", "(read side) calls .update()"),
    ("coach_xblock.exports", "def f(request):\n    request.save()", "(read side) calls .save()"),
    ("coach_xblock.charts", "def f(m):\n    m.objects.create()", "(read side) calls .create()"),
    ("coach_xblock.notifications", "from . import tasks", "imports coach_xblock.tasks"),
    ("coach_xblock.workflow.coach", "from .. import block", "imports coach_xblock.block"),
    ("coach_xblock.block", "import coach_dev.workbench_settings", "imports the development tools"),
    ("coach_xblock.lobby", "", "is in no layer"),
])
def test_a_wrong_import_or_a_write_is_caught(module, source, rule):
    broken = broken_rules(module, source)

    assert any(rule in sentence for sentence in broken), broken
