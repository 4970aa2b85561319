"""Errors raised by service functions; the API and the UI each render them their way."""
from flask_babel import lazy_gettext as _l


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message=None, *, fields: dict | None = None, keep_changes: bool = False):
        super().__init__(str(message or self.default_message))
        self.message = message or self.default_message
        self.fields = fields or {}
        # True when what the request recorded must stand although it fails (a failed
        # login's event and counter): the error handler commits instead of rolling back.
        self.keep_changes = keep_changes

    default_message = _l("The request could not be processed.")


class BadRequest(ServiceError):
    status, code = 400, "bad_request"


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"
    default_message = _l("Authentication is required.")


class PlanLimit(ServiceError):
    status, code = 402, "plan_limit"
    default_message = _l("Your plan does not allow this.")


class InsufficientBalance(ServiceError):
    status, code = 402, "insufficient_balance"
    default_message = _l("The account is suspended until the balance is topped up.")


class Forbidden(ServiceError):
    status, code = 403, "forbidden"
    default_message = _l("You are not allowed to do this.")


class NotFound(ServiceError):
    status, code = 404, "not_found"
    default_message = _l("Not found.")


class Conflict(ServiceError):
    status, code = 409, "conflict"
    default_message = _l("This conflicts with existing data.")


class TooLarge(ServiceError):
    status, code = 413, "too_large"
    default_message = _l("The request is too large.")


class UnsupportedMediaType(ServiceError):
    status, code = 415, "unsupported_media_type"
    default_message = _l("Send the body as JSON (Content-Type: application/json).")


class ValidationFailed(ServiceError):
    status, code = 422, "validation_error"
    default_message = _l("Some fields are invalid.")


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"
    default_message = _l("Too many requests; try again later.")

    def __init__(self, message=None, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after  # seconds, sent as Retry-After
