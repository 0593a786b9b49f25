"""Outgoing requests are logged (django-log-outgoing-requests) without bodies and with secret headers masked."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests
from log_outgoing_requests.models import OutgoingRequestsLog

from openinburgering.interop.request_log import MASK, MaskedDatabaseHandler

pytestmark = pytest.mark.django_db


def test_a_logged_request_keeps_url_and_status_but_masks_keys_and_drops_bodies(brp_server: Any, settings: Any) -> None:
    settings.LOG_OUTGOING_REQUESTS_DB_SAVE = True
    handler = MaskedDatabaseHandler()
    logger = logging.getLogger("log_outgoing_requests")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        requests.post(
            brp_server.api_root + "personen",
            data=b'{"burgerservicenummer": ["999970872"]}',
            headers={"X-Api-Key": "secret-key", "Authorization": "Bearer t", "x-doelbinding": "BRPACT"},
            timeout=5,
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)

    log = OutgoingRequestsLog.objects.get()
    assert log.url == brp_server.api_root + "personen"
    assert log.status_code == 400
    assert f"X-Api-Key: {MASK}" in log.req_headers
    assert f"Authorization: {MASK}" in log.req_headers
    assert "x-doelbinding: BRPACT" in log.req_headers
    assert "secret-key" not in log.req_headers
    assert not log.req_body
    assert not log.res_body
