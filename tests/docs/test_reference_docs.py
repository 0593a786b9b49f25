"""The generated and hand-written references stay in step with the code they describe."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from openinburgering.audit.catalogue import render_markdown

REPO = Path(__file__).resolve().parents[2]
CONF_DIR = REPO / "src" / "openinburgering" / "conf"
AUDIT_REFERENCE = REPO / "docs" / "reference" / "audit-events.md"
SETTINGS_REFERENCE = REPO / "docs" / "reference" / "settings.md"

# env_str("NAME", …), env_bool("NAME", …), env_int(…), env_list(…), and any direct os.environ/os.getenv read.
_ENV_READ = re.compile(
    r"""(?:env_(?:str|bool|int|list)\(|os\.environ\.get\(|os\.environ\[|os\.getenv\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def env_vars_read_in_conf() -> set[str]:
    names: set[str] = set()
    for path in sorted(CONF_DIR.glob("*.py")):
        names |= set(_ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names


def documented_env_vars() -> set[str]:
    """Names in the first column of a settings table row: | `NAME` | …"""
    text = SETTINGS_REFERENCE.read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", text, flags=re.MULTILINE))


def test_audit_events_reference_equals_the_catalogue():
    assert AUDIT_REFERENCE.read_text(encoding="utf-8") == render_markdown(), (
        "docs/reference/audit-events.md is out of date: run `python -m django audit_catalogue --write`."
    )


def test_audit_catalogue_command_prints_the_catalogue():
    out = StringIO()
    call_command("audit_catalogue", stdout=out)
    assert out.getvalue() == render_markdown()


def test_settings_parser_finds_the_core_env_vars():
    # Guards the regex itself: if it stopped matching, the next test would pass vacuously.
    assert {"SECRET_KEY", "DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_AGE"} <= env_vars_read_in_conf()


def test_every_env_var_read_in_conf_is_documented_in_the_settings_reference():
    missing = sorted(env_vars_read_in_conf() - documented_env_vars())
    assert missing == [], f"Add these to docs/reference/settings.md: {missing}"


def test_settings_reference_lists_no_env_var_that_conf_does_not_read():
    stale = sorted(documented_env_vars() - env_vars_read_in_conf())
    assert stale == [], f"docs/reference/settings.md lists variables nothing reads: {stale}"
