"""Logging outgoing requests (#17 item 7) with django-log-outgoing-requests, masked.

What the library stores per request: method, URL, host, status, duration, request and response headers, and (only
when body saving is on) the bodies. Settings keep body saving off (``LOG_OUTGOING_REQUESTS_DB_SAVE_BODY = False``):
BRP answers and ZGW documents are personal data. The library hides only the ``Authorization`` header; an API key
sits in another header (``X-Api-Key``, configurable per service), so this handler masks every request header outside
a short allowlist before the library stores it. URLs carry no personal data by design: the BRP is asked by POST with
the BSN in the body, ZGW objects by UUID or by our own identificatie. DUO's APIs are the exception (their paths are
``/personen/{bsn}/...``): ``masked_url`` replaces a BSN in a path before the library stores the URL.
"""

from __future__ import annotations

import logging
import re
from copy import copy
from typing import Any

from log_outgoing_requests.handlers import DatabaseOutgoingRequestsHandler

SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept-crs",
        "accept-encoding",
        "connection",
        "content-crs",
        "content-length",
        "content-type",
        "user-agent",
        "x-doelbinding",
        "x-verwerking",
        # DUO M2M: the OINs of the organisations and the message id (no personal data; needed to trace a call).
        "bron",
        "doel",
        "berichtid",
    }
)
MASK = "***hidden***"
BSN_IN_PATH = re.compile(r"/personen/[0-9]{9}(?=/|$|\?)")
BSN_IN_QUERY = re.compile(r"(objectId=)[0-9]{9}(?=&|$)")


def masked_url(url: str) -> str:
    """The URL with a BSN masked: in a ``/personen/{bsn}`` path segment (DUO's APIs) and in an ``...objectId=``
    query parameter (Open Klant's partijIdentificator filters)."""
    return BSN_IN_QUERY.sub(r"\1*********", BSN_IN_PATH.sub("/personen/*********", url))


def masked_headers(headers: Any) -> Any:
    """A copy of the headers with every value outside ``SAFE_HEADERS`` replaced by a mask."""
    masked = headers.copy()
    for name in list(masked.keys()):
        if name.lower() not in SAFE_HEADERS:
            masked[name] = MASK
    return masked


class MaskedDatabaseHandler(DatabaseOutgoingRequestsHandler):
    def emit(self, record: logging.LogRecord) -> None:
        request = getattr(record, "req", None)
        if request is not None:
            safe_request = copy(request)
            safe_request.headers = masked_headers(request.headers)
            if isinstance(getattr(request, "url", None), str):
                safe_request.url = masked_url(request.url)
            record = copy(record)
            record.req = safe_request
        super().emit(record)
