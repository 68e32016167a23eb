"""Meta-tests: every model of the project has an API test through the shared bases, and every
user-facing string has its Simplified Chinese translation, compiled."""

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tests
from mobilization.apps import project_app_configs
from tests.base import TESTED_MODELS

ROOT = Path(__file__).resolve().parents[1]
# Models reached only through another resource, each with the reason.
EXEMPT = {
    "teams.PersonCallAnswer": "the history of a call: nested in person-calls' `answers`, tested there",
    "mobilization.SMSMessage": "machine rows: read by the call-out board through their keys, browsed by a superuser",
}


def _import_all_tests():
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(info.name)


def test_every_model_has_an_api_test():
    _import_all_tests()
    missing = sorted(
        model._meta.label
        for config in project_app_configs()
        for model in config.get_models()
        if not model.__name__.startswith("Historical")
        and model not in TESTED_MODELS
        and model._meta.label not in EXEMPT
    )
    assert not missing, f"models without an APIScopeTestCase: {missing}"


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
