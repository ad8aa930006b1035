"""Errors the services raise. Each carries a stable `code` that front ends translate for the person or staff."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: a request the services refused, with a code and the values needed to explain it."""

    code = "service_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(ServiceError):
    code = "not_found"


class InvalidInput(ServiceError):
    code = "invalid_input"


class NotAllowed(ServiceError):
    """The rules do not allow this step now (lifecycle, eligibility, postponement, readmission bar...)."""

    code = "not_allowed"

    def __init__(self, message: str, reasons: tuple[str, ...] = (), **details: object) -> None:
        super().__init__(message, **details)
        self.reasons = reasons


class Conflict(ServiceError):
    """Someone else changed the same record first (e.g. the place was just taken); retry with fresh data."""

    code = "conflict"


class AccessDenied(ServiceError):
    """The acting staff member may not see or change this record (scoping)."""

    code = "access_denied"
