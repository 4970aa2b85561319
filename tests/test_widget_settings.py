"""The widget's settings (admin): origins checked exactly, the form's fields, the look and
words, the identity secret — through the API and the page — and identity verification."""
import pytest

from tests.test_tickets_support import add_staff, department
from tests.widget_support import SHOP, Site, complete_requests, letters_of, signature


def test_settings_have_the_key_snippet_and_defaults(tenant_a):
    body = tenant_a.get("/widget").get_json()
    key = tenant_a.get("/tenant").get_json()["widget_key"]
    assert body["key"] == key and body["allowed_origins"] == []
    assert body["snippet"] == (f'<script src="http://127.0.0.1:5000/static/widget.js" '
                               f'data-key="{key}" async></script>')
    assert body["identity_secret"] is None and body["language"] == ""
    assert [f["name"] for f in body["fields"]] == ["name", "email", "subject", "body",
                                                   "attachments"]


@pytest.mark.parametrize(("given", "stored"), [
    ("https://shop.example", "https://shop.example"),
    ("HTTPS://Shop.Example:443", "https://shop.example"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("https://магазин.рф", "https://xn--80aairftm.xn--p1ai"),
    ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
    ("http://[::1]:3000", "http://[::1]:3000"),
])
def test_an_origin_is_stored_as_a_browser_sends_it(tenant_a, given, stored):
    response = tenant_a.patch("/widget", {"allowed_origins": [given]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["allowed_origins"] == [stored]


@pytest.mark.parametrize("given", ["https://shop.example/", "https://shop.example/contact",
                                   "shop.example", "*.shop.example", "https://*.shop.example",
                                   "ftp://shop.example", "https://shop.example?x=1",
                                   "https://user@shop.example", "null", "https://sh op.example"])
def test_anything_more_or_less_than_an_origin_is_refused(tenant_a, given):
    response = tenant_a.patch("/widget", {"allowed_origins": [SHOP, given]})
    assert response.status_code == 422
    assert "scheme://host[:port]" in response.get_json()["error"]["fields"]["allowed_origins"]
    assert tenant_a.get("/widget").get_json()["allowed_origins"] == []


def test_fields_colours_texts_and_language_are_checked(tenant_a):
    support = department(tenant_a, "Billing")
    ok = tenant_a.patch("/widget", {
        "fields": [{"name": "email", "required": False}, {"name": "body"},
                   {"name": "department_id", "label": "Topic", "required": True}],
        "department_ids": [support], "colors": {"primary": "#FF0000"},
        "texts": {"title": "Write to us"}, "language": "kk"})
    assert ok.status_code == 200, ok.get_json()
    body = ok.get_json()
    assert body["fields"][0] == {"name": "email", "label": "", "required": True,
                                 "kind": "email"}  # always required
    assert body["colors"] == {"primary": "#ff0000"} and body["language"] == "kk"
    assert body["texts"] == {"title": "Write to us", "greeting": "", "thanks": ""}
    config = Site(tenant_a).get("/config", origin="").get_json()
    topic = config["fields"][2]
    assert topic["label"] == "Topic" and topic["options"] == [{"value": support,
                                                               "label": "Billing"}]
    for bad, field in (({"fields": [{"name": "email"}]}, "fields"),
                       ({"fields": [{"name": "email"}, {"name": "body"}, {"name": "nope"}]},
                        "fields"),
                       ({"fields": [{"name": "email"}, {"name": "body"}, {"name": "body"}]},
                        "fields"),
                       ({"colors": {"primary": "red"}}, "colors"),
                       ({"department_ids": [999999]}, "department_ids")):
        response = tenant_a.patch("/widget", bad)
        assert response.status_code == 422, bad
        assert field in response.get_json()["error"]["fields"]


def test_only_an_admin_sees_or_changes_the_widget(tenant_a, client):
    agent, _ = add_staff(tenant_a, client)
    assert agent.get("/widget").status_code == 403
    assert agent.patch("/widget", {"allowed_origins": [SHOP]}).status_code == 403
    assert agent.post("/widget/secret").status_code == 403


def test_the_secret_is_made_replaced_and_switched_off(tenant_a):
    first = tenant_a.post("/widget/secret")
    assert first.status_code == 201
    secret = first.get_json()["identity_secret"]
    assert len(secret) == 64 and tenant_a.get("/widget").get_json()["identity_secret"] == secret
    second = tenant_a.post("/widget/secret").get_json()["identity_secret"]
    assert second != secret
    assert tenant_a.delete("/widget/secret").status_code == 204
    assert tenant_a.get("/widget").get_json()["identity_secret"] is None
    actions = [e["action"] for e in tenant_a.get("/events?action=widget.").get_json()["items"]]
    assert actions.count("widget.secret_changed") == 3


def test_a_signed_address_marks_the_ticket_verified_and_a_wrong_one_does_not(app, tenant_a):
    site = Site(tenant_a).allow()
    secret = tenant_a.post("/widget/secret").get_json()["identity_secret"]
    good = site.post({"email": "Ann@Client.example",
                      "email_hash": signature(secret, "ann@client.example")})
    assert good.status_code == 201
    bad = site.post({"email": "eve@client.example",
                     "email_hash": signature(secret, "ann@client.example")})
    assert bad.status_code == 201  # registered all the same, just not vouched for
    other_secret = site.post({"email": "ann@client.example",
                              "email_hash": signature("x" * 64, "ann@client.example")})
    complete_requests(app)
    tickets = {t["number"]: t for t in tenant_a.get("/tickets").get_json()["items"]}
    assert tickets[good.get_json()["number"]]["requester_verified"] is True
    assert tickets[bad.get_json()["number"]]["requester_verified"] is False
    assert tickets[other_secret.get_json()["number"]]["requester_verified"] is False


def test_without_a_secret_nothing_is_verified(app, tenant_a):
    site = Site(tenant_a).allow()
    number = site.post({"email_hash": signature("", "bob@client.example")}).get_json()["number"]
    complete_requests(app)
    assert tenant_a.get(f"/tickets/{number}").get_json()["requester_verified"] is False


def test_the_settings_page_saves_and_shows_errors(app, client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": "Correct-horse-42"})
    page = client.get("/app/widget/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="no-origins"' in html and "data-preview=\"#widget-preview\"" in html
    assert api.get("/tenant").get_json()["widget_key"] in html
    form = {"origins": "https://shop.example\nhttps://blog.example:8443", "color": "#112233",
            "title": "Hi", "greeting": "", "thanks": "", "language": "ru",
            "field": ["name", "email", "subject", "body", "attachments"],
            "on-email": "1", "on-body": "1", "on-subject": "1", "required-subject": "1",
            "position-subject": "1", "position-email": "2", "position-body": "3"}
    saved = client.post("/app/widget/", data=form)
    assert saved.status_code == 302
    settings = api.get("/widget").get_json()
    assert settings["allowed_origins"] == ["https://shop.example", "https://blog.example:8443"]
    assert [f["name"] for f in settings["fields"]] == ["subject", "email", "body"]
    assert settings["language"] == "ru" and settings["colors"]["primary"] == "#112233"
    wrong = client.post("/app/widget/", data=form | {"origins": "https://shop.example/"})
    assert wrong.status_code == 422
    assert "no path" in wrong.get_data(as_text=True)
    assert client.post("/app/widget/secret").status_code == 302
    assert api.get("/widget").get_json()["identity_secret"]


def test_a_released_widget_request_gets_its_receipt(app, tenant_a):
    site = Site(tenant_a).allow()
    tenant_a.call("PUT", "/stop-list", {"words": ["casino"]})
    number = site.post({"subject": "Casino bonus"}).get_json()["number"]
    complete_requests(app)
    assert letters_of(app, "receipt") == []
    assert tenant_a.post(f"/tickets/{number}/not-spam").status_code == 200
    assert len(letters_of(app, "receipt")) == 1
