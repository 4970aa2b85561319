"""The security headers of each kind of endpoint, written out literally (app/security.py
computes them once per endpoint): the headers, values and order for an app page, the API,
the widget, a relaxed blueprint, a relaxed view and a request no route matched."""
from flask import Response

from app import create_app, security
from app.config import TestConfig
from tests.conftest import STRONG_PASSWORD

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; ")
STRICT = (
    ("Permissions-Policy", "browsing-topics=()"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", POLICY + "frame-ancestors 'none'"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
FRAMED_ANYWHERE = (  # the public knowledge base (its blueprint is relaxed)
    ("Permissions-Policy", "browsing-topics=()"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", POLICY + "frame-ancestors *"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
FRAMED_BY_US = (  # an imported letter's frame (its view is relaxed)
    ("Permissions-Policy", "browsing-topics=()"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", POLICY + "frame-ancestors 'self'"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
STRICT_HTTPS = (
    ("Permissions-Policy", "browsing-topics=()"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", POLICY + "frame-ancestors 'none'"),
    ("Strict-Transport-Security", "max-age=31536000"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
OURS = {name for name, _ in STRICT_HTTPS}


def ours(response) -> tuple:
    return tuple((name, value) for name, value in response.headers if name in OURS)


def names(response) -> list[str]:
    return [name for name, _ in response.headers]


def test_headers_for_each_kind_of_endpoint(app):
    expected = {
        "web.dashboard": STRICT,
        "tickets.index": STRICT,
        "api.app_departments_api__list_departments": STRICT,
        "widget.tickets": STRICT,
        "widget.config": STRICT,
        "kb_public.home": FRAMED_ANYWHERE,
        "kb_public.article": FRAMED_ANYWHERE,
        "gmail_original.letter": FRAMED_BY_US,
        "gmail_original.show": STRICT,
        "static": STRICT,
        None: STRICT,
    }
    with app.app_context():
        assert {endpoint: security.headers_for(endpoint) for endpoint in expected} == expected
    assert security.headers_for("web.dashboard", app) is security.headers_for("web.dashboard", app)
    https = create_app(TestConfig(BASE_URL="https://help.example.com"))
    assert security.headers_for("widget.tickets", https) == STRICT_HTTPS
    assert security.headers_for(None, https) == STRICT_HTTPS


def test_responses_carry_them_where_they_did(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    response = api.get("/departments")
    assert response.status_code == 200 and ours(response) == STRICT
    assert names(response) == ["Content-Type", "Content-Length", "X-Request-ID",
                               "Permissions-Policy", "X-Frame-Options", "X-Content-Type-Options",
                               "Content-Security-Policy", "Referrer-Policy", "Vary"]
    login = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                   "password": STRONG_PASSWORD})
    assert login.status_code == 302 and ours(login) == STRICT
    assert names(login) == ["Content-Type", "Content-Length", "Location", "Set-Cookie",
                            "X-Request-ID", "Permissions-Policy", "X-Frame-Options",
                            "X-Content-Type-Options", "Content-Security-Policy",
                            "Referrer-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                            "X-RateLimit-Reset", "Retry-After", "Vary", "Set-Cookie"]
    page = client.get("/app/tickets/")
    assert page.status_code == 200 and ours(page) == STRICT
    assert ours(client.get(f"/kb/{slug}/")) == FRAMED_ANYWHERE
    # The letter's view answers 404 here (no such message): still its relaxed headers.
    assert ours(client.get("/app/tickets/1/messages/1/original/letter")) == FRAMED_BY_US
    assert ours(client.get("/app/tickets/1/messages/1/original")) == STRICT
    widget = client.get("/widget/no-such-key/config")
    assert widget.status_code == 404 and ours(widget) == STRICT
    for missing in (client.get("/no-such-page"), client.post("/")):  # 404 and 405: no route
        assert missing.status_code in (404, 405) and ours(missing) == STRICT
        assert names(missing)[-7:] == ["X-Request-ID", "Permissions-Policy", "X-Frame-Options",
                                       "X-Content-Type-Options", "Content-Security-Policy",
                                       "Referrer-Policy", "Vary"]


def test_https_responses_and_a_response_with_its_own_headers():
    app = create_app(TestConfig(BASE_URL="https://help.example.com"))

    @app.get("/own")
    def own():
        return Response("x", headers={"X-Frame-Options": "SAMEORIGIN",
                                      "Content-Security-Policy": "default-src 'none'; sandbox",
                                      "Referrer-Policy": "no-referrer"})

    client = app.test_client()
    response = client.get("/api/v1/departments")  # 401 without a token
    assert response.status_code == 401 and ours(response) == STRICT_HTTPS
    response = client.get("/own")
    # Set in place: the response's own policy kept, the rest ours.
    assert list(response.headers)[:6] == [
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", "default-src 'none'; sandbox"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "1"),
        ("X-Request-ID", response.headers["X-Request-ID"]),
    ]
    assert ours(response)[3:] == (("Permissions-Policy", "browsing-topics=()"),
                                  ("X-Content-Type-Options", "nosniff"),
                                  ("Strict-Transport-Security", "max-age=31536000"))
