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


def headers(origin: str, *, preflight: bool) -> list[tuple[str, str]]:
    """The CORS headers of an answer to the allowed ``origin``."""
    given = [("Access-Control-Allow-Origin", origin),
             ("Access-Control-Expose-Headers", "Retry-After")]
    if preflight:
        given += [("Access-Control-Allow-Methods", ALLOWED_METHODS),
                  ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
                  ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)]
    return given


def add_headers(response: Response, origin: str, *, preflight: bool) -> Response:
    for name, value in headers(origin, preflight=preflight):
        response.headers[name] = value
    return response


def vary_on_origin(response: Response) -> Response:
    """The answer differs by ``Origin``: caches must keep one copy per origin."""
    response.vary.add("Origin")
    return response
