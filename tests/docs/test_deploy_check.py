"""`check --deploy` is clean with the production settings: secure defaults come from conf/base.py."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import global_settings
from django.core.management import call_command
from django.test import override_settings

from openinburgering.conf import base

REPO = Path(__file__).resolve().parents[2]

# Everything Django's deployment checks look at. conf/test.py relaxes some of them; production uses base.
DEPLOY_SETTINGS = (
    "ALLOWED_HOSTS",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_USE_SESSIONS",
    "MIDDLEWARE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
)
NO_ISSUES = "System check identified no issues (0 silenced).\n"


def production_overrides() -> dict[str, object]:
    values = {name: getattr(base, name, getattr(global_settings, name)) for name in DEPLOY_SETTINGS}
    values["DEBUG"] = False
    values["SECRET_KEY"] = secrets.token_urlsafe(60)
    return values


def test_base_settings_pass_the_deploy_check_without_warnings():
    out = StringIO()
    with override_settings(**production_overrides()):
        call_command("check", deploy=True, fail_level="WARNING", stdout=out)
    assert out.getvalue() == NO_ISSUES


def test_production_settings_module_passes_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openinburgering.conf.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "postgres://app@db.invalid:5432/openinburgering",
    }
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (result.returncode, result.stdout, result.stderr) == (0, NO_ISSUES, "")


def test_production_settings_refuse_a_short_secret_key():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openinburgering.conf.production",
        "SECRET_KEY": "too-short",
        "DATABASE_URL": "postgres://app@db.invalid:5432/openinburgering",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "SECRET_KEY must be set to a random value of at least 50 characters." in result.stderr


def test_production_settings_refuse_sqlite():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openinburgering.conf.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "sqlite:////tmp/never-created.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Production needs PostgreSQL: set DATABASE_URL." in result.stderr
