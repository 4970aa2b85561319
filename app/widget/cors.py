"""CORS for the widget's public endpoints: only the admin's allowed origins.

A browser names the page's origin in ``Origin`` on every cross-origin call (and on a
preflight). An origin on the tenant's list gets it echoed in ``Access-Control-Allow-Origin``;
any other is refused with 403 and no CORS headers at all, before anything is read or
written — a simple request (a multipart POST needs no preflight) is stopped there too.
Calls without ``Origin`` (the tenant's own server, a script) are not a browser's and pass;
no cookie is ever read or sent (no credentials).
"""
from flask import Response

ALLOWED_METHODS = "GET, POST, OPTIONS"
# What the widget sends beyond the CORS-safelisted headers.
ALLOWED_HEADERS = "Content-Type, Accept-Language"
PREFLIGHT_MAX_AGE = "600"


def origin_allowed(origin: str | None, allowed: tuple[str, ...]) -> bool:
    return origin is None or origin in allowed


def add_headers(response: Response, origin: str, *, preflight: bool) -> Response:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = "Retry-After"
    if preflight:
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def vary_on_origin(response: Response) -> Response:
    """The answer differs by ``Origin``: caches must keep one copy per origin."""
    response.vary.add("Origin")
    return response
