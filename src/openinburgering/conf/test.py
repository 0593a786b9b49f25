"""Settings for the test suite: PostgreSQL from DATABASE_URL (scripts/test.sh decides), fast hashing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .base import *  # noqa: F403 -- settings modules extend the base by design
from .env import env_str

SECRET_KEY = env_str("SECRET_KEY", "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The client portal: the mock DigiD, and uploads in a temporary directory outside the tree.
DIGID_MOCK = True
PORTAL_UPLOAD_ROOT = env_str(
    "PORTAL_UPLOAD_ROOT", str(Path(tempfile.gettempdir()) / "openinburgering-test-portal-uploads")
)
