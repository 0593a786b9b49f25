"""Settings for `make run`: the local demo on SQLite, DEBUG on, plain-http cookies."""

from __future__ import annotations

from .base import *  # noqa: F403 -- settings modules extend the base by design
from .env import env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The client portal logs in through django-digid-eherkenning's mock IdP in the demo (a BSN is typed on a mock page).
DIGID_MOCK = True
# E-mail in the demo is printed in the terminal, not sent (the portal's notices without content, #15).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
