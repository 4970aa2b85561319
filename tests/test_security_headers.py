"""Security headers (app/security.py) on every kind of response, HSTS only with an https
BASE_URL, per-blueprint and per-view relaxations, and a scan of every template for what the
Content-Security-Policy would refuse (inline handlers, inline scripts and styles, eval)."""
import io
import re

import pytest
from flask import Blueprint, Response

from app import create_app, security
from app.attachments.storage import LocalStorage
from app.config import ROOT, TestConfig
from tests.conftest import STRONG_PASSWORD
from tests.crosstenant.tickets import PNG
from tests.test_tickets_support import new_ticket

STRICT_REFERRERS = {"no-referrer", "same-origin", "strict-origin",
                    "strict-origin-when-cross-origin"}


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_secure(response, *, hsts: bool = False) -> None:
    csp = policy(response)
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp["default-src"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, csp
        assert "*" not in sources and "data:" not in sources, csp
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in STRICT_REFERRERS
    assert ("Strict-Transport-Security" in response.headers) is hsts


def login(client, slug: str) -> None:
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                      "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_public_pages(client):
    for url in ("/", "/signup", "/login"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure(response)


def test_staff_pages_and_plain_http_cookies(app, client, signup):
    _, body = signup()
    slug = body["tenant"]["slug"]
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                      "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert_secure(response)  # redirects too
    # Talisman is told not to force Secure cookies: the app runs on http here.
    assert "secure" not in response.headers["Set-Cookie"].lower()
    assert app.config["SESSION_COOKIE_SECURE"] is False
    for url in ("/app/", "/app/staff/", "/app/tickets/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert_secure(page)


def test_api_json_and_error_responses(client, tenant_a):
    response = tenant_a.get("/departments")
    assert response.status_code == 200 and response.is_json
    assert_secure(response)
    missing = tenant_a.get("/departments/999999")
    assert missing.status_code == 404 and missing.is_json
    assert_secure(missing)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and 'data-status="404"' in page.get_data(as_text=True)
    assert_secure(page)
    assert_secure(client.get("/static/js/confirm.js"))


def test_an_unexpected_error_page_has_them_too():
    app = create_app(TestConfig(PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert_secure(response)


def test_hsts_only_with_an_https_base_url(client):
    assert_secure(client.get("/"), hsts=False)
    # An https request does not make it https: the address people use decides.
    assert_secure(client.get("/", base_url="https://localhost"), hsts=False)

    https = create_app(TestConfig(BASE_URL="https://help.example.com")).test_client()
    for base_url in ("https://help.example.com", "http://localhost"):  # behind a TLS proxy
        response = https.get("/", base_url=base_url)
        assert response.status_code == 200  # never redirected to https
        assert_secure(response, hsts=True)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_relax_for_a_blueprint_or_a_view():
    app = create_app(TestConfig())
    framed = Blueprint("test_security_framed", __name__, url_prefix="/framed")
    security.relax(framed, frame_ancestors="*", connect_src="'self' https://api.example")

    @framed.get("/")
    def inside():
        return "framed"

    @app.get("/partner")
    @security.relax(frame_ancestors="https://partner.example", base_uri=None)
    def partner():
        return "partner"

    @app.get("/own-policy")
    def own_policy():
        return Response("x", headers={"Content-Security-Policy": "default-src 'none'; sandbox"})

    app.register_blueprint(framed)
    client = app.test_client()

    response = client.get("/framed/")
    csp = policy(response)
    assert csp["frame-ancestors"] == ["*"]
    assert csp["connect-src"] == ["'self'", "https://api.example"]
    assert csp["script-src"] == ["'self'"]  # the rest stays as strict
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    response = client.get("/partner")
    csp = policy(response)
    assert csp["frame-ancestors"] == ["https://partner.example"] and "base-uri" not in csp
    assert "X-Frame-Options" not in response.headers

    response = client.get("/own-policy")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # Everything else is untouched by the relaxations.
    assert_secure(client.get("/"))
    assert security.CSP["frame-ancestors"] == "'none'"


def test_attachment_downloads_keep_their_sandbox(app, tenant_a, tmp_path):
    previous = app.extensions.get("attachment_storage")
    app.extensions["attachment_storage"] = LocalStorage(tmp_path / "files")
    try:
        new_ticket(tenant_a)
        uploaded = tenant_a.client.post(
            "/api/v1/attachments", headers={"Authorization": f"Bearer {tenant_a.token}"},
            data={"file": (io.BytesIO(PNG), "shot.png")}, content_type="multipart/form-data")
        file_id = uploaded.get_json()["id"]
        tenant_a.post("/tickets/1/messages", {"body": "see", "attachment_ids": [file_id]})
        download = tenant_a.get(f"/attachments/{file_id}/download")
        assert download.status_code == 200
        assert download.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert download.headers["X-Frame-Options"] == "DENY"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        app.extensions["attachment_storage"] = previous


# ---- what the CSP would refuse, found in the templates before a browser does ----

TEMPLATE_ROOTS = ("app", "billing", "tenants", "integrations")
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
FORBIDDEN = {
    "an inline event handler (on…=)": re.compile(r"(?<![\w-])on[a-z]+\s*=\s*[\"'\w{]", re.I),
    "an hx-on handler (needs eval)": re.compile(r"(?<![\w-])(data-)?hx-on\b", re.I),
    "an inline <script> (without src)": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "a style= attribute": re.compile(r"(?<![\w-])style\s*=\s*[\"'\w{]", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
    "an htmx trigger filter [...] (needs eval)": re.compile(r"hx-trigger\s*=\s*\"[^\"]*\[", re.I),
    "a js: value for htmx (needs eval)": re.compile(r"hx-(vals|vars|headers)\s*=\s*'\s*js:", re.I),
}


def templates() -> list:
    return sorted(path for root in TEMPLATE_ROOTS for path in (ROOT / root).rglob("*.html"))


def offences(text: str) -> list[str]:
    text = JINJA_COMMENT.sub("", text)
    found = []
    for what, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {what}: {match.group(0)!r}")
    return found


def test_no_template_has_what_the_csp_refuses():
    paths = templates()
    assert len(paths) > 40 and any(p.name == "base.html" for p in paths)
    problems = {str(p.relative_to(ROOT)): offences(p.read_text()) for p in paths}
    assert {path: found for path, found in problems.items() if found} == {}


@pytest.mark.parametrize("snippet", [
    '<button onclick="return confirm(\'x\')">',
    "<a href=# ONMOUSEOVER=alert(1)>",
    '{{ form.name(onchange="go()") }}',
    "<div hx-on:click=\"x()\">",
    "<script>alert(1)</script>",
    '<script type="module">',
    '<p style="color: red">',
    "<style>p {}</style>",
    '<a href="javascript:void(0)">',
    '<div hx-trigger="every 60s [ready()]">',
])
def test_the_scan_catches(snippet):
    assert offences(snippet)


@pytest.mark.parametrize("snippet", [
    '<script src="/static/js/app.js" defer></script>',
    '<button data-confirm="Delete this? It can\'t be undone.">',
    '<input data-online="1" name="location">',
    '<div hx-trigger="every 60s" data-poll-unless-selected>',
    "{# onclick=\"x\" in a comment #}",
    "Turn it on=off",
])
def test_the_scan_lets_through(snippet):
    assert not offences(snippet)
