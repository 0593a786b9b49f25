"""REDIS_URL switches Django's cache to Redis (shared by every app process, docs/scaling.md); the client library
is a locked dependency, so the setting works as documented (docs/reference/settings.md)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def test_with_redis_url_the_cache_is_redis_and_shared_between_processes() -> None:
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs Redis on 127.0.0.1:6379; it is not reachable")
        pytest.skip("no Redis on 127.0.0.1:6379 on this machine (CI has one)")
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/15", "DJANGO_SETTINGS_MODULE": "openinburgering.conf.dev"}
    program = (
        "import sys, django; django.setup();"
        "from django.core.cache import cache; from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE);"
        "cache.set('oi-test-key', sys.argv[1], 30) if sys.argv[1] != '-' else print(cache.get('oi-test-key'))"
    )
    write = subprocess.run([sys.executable, "-c", program, "gedeeld"], env=env, capture_output=True, text=True)
    read = subprocess.run([sys.executable, "-c", program, "-"], env=env, capture_output=True, text=True)

    assert write.returncode == 0, write.stderr
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines() == [
        "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cached_db",
        "gedeeld",
    ]
