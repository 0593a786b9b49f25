"""DJANGO_ALLOW_ASYNC_UNSAFE only while browser tests run.

Playwright's sync API runs an event loop in this thread while a browser is open, so Django refuses the (synchronous)
ORM calls of fixtures, tests and the database flush afterwards unless DJANGO_ALLOW_ASYNC_UNSAFE is set. This plugin
sets it for the run (setup, call, teardown) of each test marked `e2e` — in tests/e2e and elsewhere
(tests/signals/test_browser.py opens its own browser) — and restores the environment afterwards, so no other test
(e.g. tests/docs, whose subprocesses inherit os.environ) ever sees it. It is a plugin, not conftest hooks, because a
conftest's runtest hooks only apply to its own folder; tests/conftest.py and tests/e2e/conftest.py register it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

PLUGIN_NAME = "e2e-async-unsafe"


class AsyncUnsafeWhileBrowserTestsRun:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        if item.get_closest_marker("e2e") is None:
            yield
            return
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            yield


def register_async_unsafe_plugin(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(AsyncUnsafeWhileBrowserTestsRun(), PLUGIN_NAME)
