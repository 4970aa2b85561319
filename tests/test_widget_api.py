"""The widget's public endpoints: a wrong key, origins and CORS, the form's configuration,
requests as JSON and multipart, per-field errors, files, the honeypot and the receipt."""
import pytest

from app.attachments.storage import LocalStorage
from tests.crosstenant.tickets import PNG
from tests.widget_support import SHOP, Site, complete_requests, letters_of, mail_queue

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def local_storage(app, tmp_path):
    previous = app.extensions.get("attachment_storage")
    app.extensions["attachment_storage"] = LocalStorage(tmp_path / "files")
    yield
    app.extensions["attachment_storage"] = previous


@pytest.fixture
def site(tenant_a):
    return Site(tenant_a).allow()


def _no_cors(response) -> None:
    assert not [h for h in response.headers.keys() if h.lower().startswith("access-control-")]


def test_a_wrong_key_is_404(client):
    for response in (client.get("/widget/no-such-key/config", headers={"Origin": SHOP}),
                     client.post("/widget/no-such-key/tickets", json={},
                                 headers={"Origin": SHOP}),
                     client.options("/widget/no-such-key/tickets", headers={"Origin": SHOP})):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
        _no_cors(response)


def test_an_origin_not_allowed_is_403_without_cors_headers(site):
    for origin in ("https://evil.example", "https://shop.example:8443", "http://shop.example",
                   "null"):
        config = site.get("/config", origin=origin)
        assert config.status_code == 403, origin
        _no_cors(config)
        posted = site.post(origin=origin)
        assert posted.status_code == 403
        _no_cors(posted)
        preflight = site.client.options(f"/widget/{site.key}/tickets", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 403
        _no_cors(preflight)
    assert site.api.get("/tickets").get_json()["items"] == []  # nothing was stored


def test_with_no_origin_listed_no_site_may_use_it(tenant_a):
    site = Site(tenant_a)
    assert tenant_a.get("/widget").get_json()["allowed_origins"] == []
    assert site.get("/config").status_code == 403
    # A call with no Origin at all is not a browser's (the tenant's own server): it passes.
    assert site.get("/config", origin="").status_code == 200


def test_preflight_echoes_the_allowed_origin_only(site):
    response = site.client.options(f"/widget/{site.key}/tickets", headers={
        "Origin": SHOP, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_config_describes_the_form_and_nothing_secret(site):
    site.api.post("/widget/secret")
    response = site.get("/config")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    body = response.get_json()
    assert [f["name"] for f in body["fields"]] == ["name", "email", "subject", "body",
                                                   "attachments"]
    email = next(f for f in body["fields"] if f["name"] == "email")
    assert email == {"name": "email", "kind": "email", "label": None, "required": True}
    files = body["fields"][-1]
    assert files["max_files"] == 10 and "image/png" in files["accept"]
    assert body["identity"] is True and body["colors"] == {"primary": "#2563eb"}
    assert "secret" not in response.get_data(as_text=True).lower().replace('"identity"', "")


def test_a_request_as_json_is_registered_and_answered_with_number_and_link(app, site):
    response = site.post()
    assert response.status_code == 201, response.get_json()
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    body = response.get_json()
    assert body["number"] == 1 and body["deferred"] is False
    assert "/p/" in body["status_url"] and body["status_url"].startswith("http")
    assert site.api.get("/tickets/1").status_code == 404  # stored; the drain makes the ticket
    assert letters_of(app, "receipt") == []
    complete_requests(app)
    ticket = site.api.get("/tickets/1").get_json()
    assert ticket["channel"] == "widget" and ticket["subject"] == "Printer jams"
    assert ticket["requester"] == {"email": "bob@client.example", "name": "Bob Buyer"}
    assert "Page 2 always jams." in ticket["messages"][0]["body_html"]
    assert ticket["spam"] is False and ticket["requester_verified"] is False
    assert len(letters_of(app, "receipt")) == 1


def test_a_multipart_request_carries_files(site):
    response = site.post_form({"email": "bob@client.example", "body": "See the screenshot",
                               "subject": "Screen"}, files=[(PNG, "screen.png")])
    assert response.status_code == 201, response.get_json()
    [message] = site.api.get("/tickets/1").get_json()["messages"]
    assert [a["filename"] for a in message["attachments"]] == ["screen.png"]


def test_missing_and_wrong_fields_are_named_one_by_one_in_the_visitors_language(site):
    response = site.post({"email": "not an address", "body": "  ", "subject": ""},
                         query="?language=ru")
    assert response.status_code == 422
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"email", "body", "subject"}
    assert fields["email"] == "Введите корректный адрес электронной почты."
    english = site.post({"email": "", "body": ""}).get_json()["error"]["fields"]
    assert english == {"email": "Enter your e-mail address.", "body": "Describe your request."}
    assert site.api.get("/tickets").get_json()["items"] == []


def test_a_required_custom_field_is_on_the_form_and_checked(app, site):
    created = site.api.post("/custom-fields", {"key": "order", "label": "Order number",
                                               "kind": "number", "required": True})
    assert created.status_code == 201
    names = [f["name"] for f in site.get("/config").get_json()["fields"]]
    assert names[-1] == "order"
    missing = site.post().get_json()["error"]["fields"]
    assert missing == {"fields.order": "Fill in this field."}
    wrong = site.post({"fields": {"order": "abc"}}).get_json()["error"]["fields"]
    assert wrong == {"fields.order": "Enter a number."}
    assert site.post({"fields": {"order": "42"}}).status_code == 201
    complete_requests(app)
    assert site.api.get("/tickets/1").get_json()["custom_fields"] == {"order": 42}


def test_an_oversized_or_disallowed_file_is_named_and_nothing_is_stored(site):
    site.api.patch("/settings/attachments", {"max_file_bytes": 1024})
    big = site.post_form({"email": "bob@client.example", "body": "Big one", "subject": "B"},
                         files=[(PNG + b"\0" * 2000, "big.png")])
    assert big.status_code == 413
    assert "1 KB" in big.get_json()["error"]["fields"]["attachments"]
    exe = site.post_form({"email": "bob@client.example", "body": "Program", "subject": "P"},
                         files=[(EXE, "setup.exe")])
    assert exe.status_code == 422
    assert "setup.exe" in exe.get_json()["error"]["fields"]["attachments"]
    assert site.api.get("/tickets").get_json()["items"] == []


def test_a_request_whose_body_is_too_large_for_the_rules_is_refused_before_reading(site):
    site.api.patch("/settings/attachments", {"max_file_bytes": 1024, "max_files": 1})
    huge = b"x" * (2 * 1024 * 1024)
    response = site.post_form({"email": "bob@client.example", "body": "Huge"},
                              files=[(huge, "huge.txt")])
    assert response.status_code == 413
    assert "attachments" in response.get_json()["error"]["fields"]


def test_the_honeypot_is_answered_like_a_request_and_dropped(app, site):
    response = site.post({"website": "http://spam.example"})
    assert response.status_code == 201
    assert response.get_json() == {"number": None, "status_url": None, "deferred": False}
    assert site.api.get("/tickets?spam=true").get_json()["items"] == []
    assert site.api.get("/tickets").get_json()["items"] == []
    complete_requests(app)
    assert letters_of(app, "receipt") == [] and mail_queue(app).count == 0


@pytest.fixture
def limits(app):
    saved = {name: app.config[name] for name in ("WIDGET_RATE_LIMIT", "WIDGET_KEY_RATE_LIMIT")}
    yield app.config
    app.config.update(saved)


def test_a_flood_from_one_visitor_gets_429_with_retry_after(app, site, limits):
    limits["WIDGET_RATE_LIMIT"] = "2 per minute"
    assert [site.post().status_code for _ in range(2)] == [201, 201]
    limited = site.post()
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Retry-After" in limited.headers["Access-Control-Expose-Headers"]
    assert limited.get_json()["error"]["code"] == "rate_limited"
    # Another visitor (another IP) is not held up by the first one's flood.
    assert site.post(environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 201
    complete_requests(app)
    assert len(site.api.get("/tickets").get_json()["items"]) == 3


def test_a_flood_through_one_key_from_many_addresses_gets_429(site, limits):
    limits["WIDGET_KEY_RATE_LIMIT"] = "2 per minute"
    codes = [site.post(environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
             for n in range(1, 4)]
    assert codes == [201, 201, 429]


def test_over_the_daily_limit_the_request_is_kept_and_says_deferred(app, site):
    numbers = [site.post({"email": f"c{n}@client.example"}).get_json() for n in range(11)]
    assert [n["deferred"] for n in numbers] == [False] * 10 + [True]
    complete_requests(app)
    assert site.api.get("/tickets?deferred=true").get_json()["items"][0]["number"] == 11


def test_a_request_needs_json_or_a_form(site):
    response = site.client.post(f"/widget/{site.key}/tickets", data=b"hello",
                                content_type="text/plain", headers=site.headers())
    assert response.status_code == 415
    nul = site.post({"body": "a\u0000b"})
    assert nul.status_code == 422 and "body" in nul.get_json()["error"]["fields"]


def _key_routes(app) -> list[tuple[str, str]]:
    return [(rule.rule, method) for rule in app.url_map.iter_rules()
            if "key" in rule.arguments for method in sorted(rule.methods - {"HEAD"})]


def test_a_sites_widget_shows_its_own_tenant_whatever_session_the_browser_holds(
        app, client, signup):
    """Every route named by a widget key answers for that key's tenant only: a staff
    session of another tenant in the same browser changes nothing and is never used."""
    api_a, _ = signup(company_name="Alpha Public Face")
    _api_b, body_b = signup(company_name="Bravo Private Session")
    site_a = Site(api_a).allow()
    slug_b = body_b["tenant"]["slug"]
    assert client.post(f"/t/{slug_b}/login", data={
        "email": f"admin@{slug_b}.example", "password": "Correct-horse-42"}).status_code == 302
    routes = _key_routes(app)
    assert len(routes) >= 3
    for rule, method in routes:
        url = rule.replace("<key>", site_a.key).replace("<int:article_id>", "1")
        response = client.open(url, method=method, json={}, headers={"Origin": SHOP})
        text = response.get_data(as_text=True)
        assert response.status_code < 500, (method, rule)
        assert "Bravo Private Session" not in text and slug_b not in text, (method, rule)
    config = client.get(f"/widget/{site_a.key}/config", headers={"Origin": SHOP}).get_json()
    assert config["name"] == "Alpha Public Face"
