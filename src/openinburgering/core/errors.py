"""One family of application errors, mapped once to HTTP (api.errors) and to form errors (views)."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business error with a Dutch message for the user; `field_errors` maps field name → messages."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotFound(ApplicationError):
    """Missing and forbidden look the same: both raise this, both answer 404."""

    status_code = 404
    code = "not_found"

    def __init__(self, message: str = "Niet gevonden.") -> None:
        super().__init__(message)


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"


class PermissionDenied(ApplicationError):
    """For actions on an object the actor may see but not change (the object's existence is no secret then)."""

    status_code = 403
    code = "permission_denied"
