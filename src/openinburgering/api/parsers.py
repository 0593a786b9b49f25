"""A JSON parser that answers bad bodies cleanly: 413 past DATA_UPLOAD_MAX_MEMORY_SIZE, 400 for bodies that are
not JSON (including nesting so deep that Python's parser would overflow its stack), never a 500."""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Het verzoek is te groot."
    default_code = "request_too_large"


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def body_limit() -> int | None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return int(limit) if limit is not None else None


class JsonParser(parsers.JSONParser):
    media_type = "application/json"

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        context = parser_context or {}
        limit = body_limit()
        request = context.get("request")
        if limit is not None and request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except (TypeError, ValueError):
                declared = 0
            if declared > limit:
                raise RequestTooLarge(f"Het verzoek is te groot (maximaal {limit // 1024} kB).")
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge(f"Het verzoek is te groot (maximaal {limit // 1024} kB).")
        encoding = context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            codecs.lookup(encoding)
            text = raw.decode(encoding)
            return json.loads(text, parse_constant=_refuse_constant)
        except (LookupError, UnicodeDecodeError, ValueError, RecursionError):
            raise exceptions.ParseError("De inhoud is geen geldige JSON.") from None
