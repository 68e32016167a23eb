"""Meta-tests: every model of the project has an API test through the shared bases, every test
asserts something and nothing that holds whatever happens, requirements.txt pins exactly what is
used, and every user-facing string has its Simplified Chinese translation, compiled."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mobilization.apps import project_app_configs
from tests.base import TESTED_MODELS, import_all_tests

ROOT = Path(__file__).resolve().parents[1]
# Models reached only through another resource, each with the reason.
EXEMPT = {
    "mobilization.ApiToken": "credentials: issued and revoked only through /api/v1/auth/token/ (tests/mobilization/test_accounts.py)",
    "mobilization.PasswordRecord": "password hashes: never exposed, checked by the history validator (test_accounts.py)",
    "mobilization.AuditChainHead": "the audit chain's lock and last hash: written by the chain, read by verify_audit_chain",
    "mobilization.AuditArchive": "the archive files' records: read by the auditor in the admin and by verify_audit_chain",
    "teams.PersonCallAnswer": "the history of a call: nested in person-calls' `answers`, tested there",
    "members.PersonRegion": "derived rows: rebuilt from persons, memberships and teams, read only by Person's scope (tests/members/test_scope_regions.py)",
    "training.ExerciseRegion": "derived rows: rebuilt from exercises, their teams and units, read only by Exercise's scope (tests/training/test_scope_regions.py)",
    "mobilization.SMSMessage": "machine rows: read by the call-out board through their keys, browsed by a superuser",
    "reporting.DashboardFigures": "derived rows: the dashboard's stored figures, computed by reporting.services and read only by the dashboard, which checks the region is visible (tests/reporting/test_dashboard_figures.py)",
    "mobilization.IdempotencyKey": "the API's record of creates already carried out per Idempotency-Key: read only when a request is repeated (tests/mobilization/test_idempotency.py)",
}


def test_every_model_has_an_api_test():
    import_all_tests()
    missing = sorted(
        model._meta.label
        for config in project_app_configs()
        for model in config.get_models()
        if not model.__name__.startswith("Historical")
        and model not in TESTED_MODELS
        and model._meta.label not in EXEMPT
    )
    assert not missing, f"models without an APIScopeTestCase: {missing}"


TESTS = ROOT / "tests"
# Helpers defined in tests/ that assert on behalf of the tests calling them (each is checked to
# assert below, so the list cannot name one that does not).
ASSERTING_HELPERS = (
    "assert_error_page",
    "assert_safe",
    "import_errors",
    "listing_queries",
    "no_sideways_scroll",
    "page_queries",
)
# Assertions of unittest.mock's objects, where a test checks how a service was called.
MOCK_ASSERTIONS = ("assert_called_once_with", "assert_called_with", "assert_called_once", "assert_not_called")


def _test_case_assertions():
    from rest_framework.test import APITestCase

    return {name for name in dir(APITestCase) if name.startswith(("assert", "fail"))}


def _called_name(call):
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _asserts(function, accepted):
    """Whether `function` holds an assert statement or calls one of the `accepted` names
    (`self.assert*`, `pytest.raises`, Playwright's `expect`, an asserting helper)."""
    return any(
        isinstance(node, ast.Assert) or (isinstance(node, ast.Call) and _called_name(node) in accepted)
        for node in ast.walk(function)
    )


def _functions():
    """(path, function) for every function defined in the test folders."""
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield path, node


def test_every_test_asserts():
    accepted = _test_case_assertions() | {"raises", "warns", "expect", *ASSERTING_HELPERS, *MOCK_ASSERTIONS}
    silent = [
        f"{path.relative_to(ROOT)}:{function.lineno} {function.name}"
        for path, function in _functions()
        if path.name.startswith("test_") and function.name.startswith("test") and not _asserts(function, accepted)
    ]
    assert not silent, f"tests that assert nothing (passing whatever happens): {silent}"


def test_each_asserting_helper_asserts():
    accepted = _test_case_assertions() | {"raises", "expect"}
    defined = {}
    for _path, function in _functions():
        if function.name in ASSERTING_HELPERS:
            defined[function.name] = defined.get(function.name, False) or _asserts(function, accepted)
    assert defined == dict.fromkeys(ASSERTING_HELPERS, True), defined


def _always_true(call):
    """Why an assertion call holds whatever the code under test does, or None."""
    name, args = _called_name(call), call.args
    if name in ("assertTrue", "assertIsNotNone") and args and isinstance(args[0], ast.Constant):
        return "asserts a constant"
    if name == "assertIn" and args and isinstance(args[0], ast.Constant) and args[0].value == "":
        return "the empty string is in every string"
    if name == "assertGreaterEqual" and len(args) > 1 and isinstance(args[1], ast.Constant) and args[1].value == 0:
        return "a count is never below 0"
    if name == "assertIn" and len(args) > 1 and isinstance(args[1], (ast.Tuple, ast.List, ast.Set)):
        values = {e.value for e in args[1].elts if isinstance(e, ast.Constant)}
        if values & {200, 201, 204} and values & {400, 403, 404}:
            return "accepts success and refusal alike"
    return None


def test_no_assertion_holds_whatever_happens():
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {reason}"
        for path, function in _functions()
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and (reason := _always_true(node))
    ]
    found += [
        f"{path.relative_to(ROOT)}:{node.lineno} asserts a constant"
        for path, function in _functions()
        for node in ast.walk(function)
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Constant)
    ]
    assert not found, found


def _imported_top_level_modules():
    """Every top-level module name the project's own Python files import (relative imports aside)."""
    skipped = {".venv", "node_modules", "media", "staticfiles", "__pycache__", ".git"}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skipped]
        for name in files:
            if name.endswith(".py"):
                path = Path(folder) / name
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                    if isinstance(node, ast.Import):
                        yield from ((alias.name.split(".")[0], path) for alias in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        yield node.module.split(".")[0], path


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pinned():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return {
        _canonical(re.split(r"[\[=<>~ ]", line, maxsplit=1)[0]) for line in lines if line.strip() and line[0] != "#"
    }


def test_every_imported_package_is_pinned():
    """A package the code imports is pinned in requirements.txt, not merely present as another's dependency."""
    from importlib.metadata import packages_distributions

    pinned = _pinned()
    local = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()} | {"manage"}
    distributions = packages_distributions()
    unpinned = sorted(
        {
            f"{module} ({path.relative_to(ROOT)})"
            for module, path in _imported_top_level_modules()
            if module not in sys.stdlib_module_names
            and module not in local
            and not {_canonical(d) for d in distributions.get(module, [module])} & pinned
        }
    )
    assert not unpinned, f"imported but not pinned: {unpinned}"


# Pinned packages the code never imports, each with what uses it.
USED_WITHOUT_IMPORT = {
    "gunicorn": "the production WSGI server",
    "psycopg": "the PostgreSQL driver Django loads from DATABASE_URL",
    "redis": "the client of Django's RedisCache and Celery's broker",
    "pytest-django": "the pytest plugin that runs the suite",
    "pytest-xdist": "pytest -n",
    "ruff": "lint and format",
    "schemathesis": "the API fuzzer scripts/fuzz.sh runs in CI",
}


def test_every_pinned_package_is_used():
    from importlib.metadata import packages_distributions

    imported = {module for module, _path in _imported_top_level_modules()}
    settings_text = (ROOT / "mobilization" / "settings.py").read_text(encoding="utf-8")
    modules_of = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            modules_of.setdefault(_canonical(dist), set()).add(module)
    unused = sorted(
        dist
        for dist in _pinned() - set(USED_WITHOUT_IMPORT)
        if not any(m in imported or f'"{m}' in settings_text for m in modules_of.get(dist, {dist.replace("-", "_")}))
    )
    assert not unused, f"pinned but neither imported nor named in settings: {unused}"


PO_FILE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(text):
    """(msgid, msgstr) pairs of a .po file, multi-line strings joined; the header skipped."""
    pattern = re.compile(
        r'^(#, fuzzy\n)?msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)', re.M
    )
    for fuzzy, msgid, msgstr in pattern.findall(text + "\n"):
        join = lambda block: "".join(re.findall(r'"(.*)"', block))  # noqa: E731
        if join(msgid):
            yield join(msgid), [join(s) for s in re.split(r"msgstr(?:\[\d\])? ", msgstr) if s.strip()], bool(fuzzy)


def test_every_string_is_translated_to_chinese():
    text = PO_FILE.read_text(encoding="utf-8")
    untranslated = [msgid for msgid, msgstrs, fuzzy in _entries(text) if fuzzy or not all(msgstrs)]
    assert not untranslated, f"{len(untranslated)} strings without zh-hans translation, e.g. {untranslated[:10]}"


@pytest.mark.skipif(
    not shutil.which("xgettext") and os.environ.get("REQUIRE_SERVICES") != "1", reason="needs gettext (xgettext)"
)
def test_catalogue_holds_every_marked_string_and_is_compiled(tmp_path):
    """makemessages on the current code adds no msgid the committed catalogue lacks, and the .mo is current."""
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO_FILE, copy / "django.po")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mobilization.settings"}
    subprocess.run(
        [sys.executable, "-c", _MAKEMESSAGES, str(tmp_path / "locale")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {m for m, _, _ in _entries((copy / "django.po").read_text(encoding="utf-8"))}
    committed = {m for m, _, _ in _entries(PO_FILE.read_text(encoding="utf-8"))}
    assert not fresh - committed, f"strings not in the catalogue: {sorted(fresh - committed)[:10]}"
    # The committed .mo is what msgfmt makes of the committed .po (file times mean nothing in a clone).
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO_FILE)], check=True)
    mo = PO_FILE.with_suffix(".mo")
    assert mo.exists() and mo.read_bytes() == compiled.read_bytes(), "run compilemessages"


# makemessages writes into LOCALE_PATHS; point it at the temporary copy. Run from the project
# root it would also adopt ./locale (as the current directory's, and again when it walks into
# it) and, every source file lying under the root, write there: rewriting the committed
# catalogue and leaving the copy untouched. So ./locale is hidden from it both ways.
_MAKEMESSAGES = """
import os, sys, django
from django.conf import settings
django.setup()
settings.LOCALE_PATHS = [sys.argv[1]]
_isdir = os.path.isdir
os.path.isdir = lambda path: path != "locale" and _isdir(path)
from django.core.management import call_command
call_command(
    "makemessages",
    locale=["zh_Hans"],
    ignore_patterns=["locale", ".venv/*", "tests/*", "staticfiles/*", "media/*"],
    verbosity=0,
)
"""
