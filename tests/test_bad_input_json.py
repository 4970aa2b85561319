"""Request bodies are read strictly, in one place: each of these once answered 500 or was
taken as something it is not."""
import json

import pytest

from tests.fakes.stripe_server import sign

JSON = {"Content-Type": "application/json"}


def send(api, method: str, path: str, body: str, headers=JSON):
    return api.call(method, path, data=body, headers=dict(headers))


def test_json_nested_thousands_deep_is_400_not_a_recursion_error(tenant_a):
    for depth in (40, 5_000, 100_000):
        body = '{"name": "Deep", "description": ' + "[" * depth + "]" * depth + "}"
        response = send(tenant_a, "POST", "/departments", body)
        assert response.status_code == 400, depth
        assert response.get_json()["error"]["code"] == "bad_request"
        assert "nested" in response.get_json()["error"]["message"]


def test_brackets_inside_strings_are_text_not_nesting(tenant_a):
    body = json.dumps({"name": "Brackets", "description": "[{" * 500})
    assert send(tenant_a, "POST", "/departments", body).status_code == 201


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_nan_and_infinity_are_not_json(tenant_a, number):
    body = '{"subject": "Odd", "requester": {"email": "odd@example.com"}, ' \
           '"custom_fields": {"x": ' + number + "}}"
    response = send(tenant_a, "POST", "/tickets", body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_integers_beyond_bigint_are_422_on_the_field(tenant_a):
    response = send(tenant_a, "POST", "/tickets",
                    '{"subject": "Big", "requester": {"email": "big@example.com"}, '
                    '"department_id": 99999999999999999999}')
    assert response.status_code == 422
    assert "department_id" in response.get_json()["error"]["fields"]
    response = tenant_a.get("/tickets?department_id=99999999999999999999")
    assert response.status_code == 422
    assert "department_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/jsonp", None])
def test_a_body_that_is_not_declared_json_is_415(tenant_a, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = send(tenant_a, "POST", "/departments", '{"name": "Plain"}', headers)
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    names = [d["name"] for d in tenant_a.get("/departments").get_json()["items"]]
    assert "Plain" not in names


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8",
                                          "application/merge-patch+json"])
def test_json_and_json_suffixed_types_are_read(tenant_a, content_type):
    response = send(tenant_a, "POST", "/departments", '{"name": "Typed"}',
                    {"Content-Type": content_type})
    assert response.status_code == 201


@pytest.mark.parametrize("method, path", [("POST", "/departments"), ("PATCH", "/tenant"),
                                          ("POST", "/tickets/1/escalate")])
def test_an_operation_with_a_body_needs_one(tenant_a, method, path):
    for body in ("", "  \n"):
        response = send(tenant_a, method, path, body)
        assert response.status_code == 422
        assert "body" in response.get_json()["error"]["fields"]


def test_an_empty_object_is_fine_where_every_field_is_optional(tenant_a):
    assert tenant_a.patch("/tenant", {}).status_code == 200


def test_a_body_that_is_not_utf8_is_400(tenant_a):
    response = tenant_a.call("POST", "/departments", data='{"name": "é"}'.encode("latin-1"),
                             headers=JSON)
    assert response.status_code == 400


@pytest.fixture
def webhook_secret(app):
    saved = app.config.get("STRIPE_WEBHOOK_SECRET")
    app.config["STRIPE_WEBHOOK_SECRET"] = "whsec_bad_input"
    yield "whsec_bad_input"
    app.config["STRIPE_WEBHOOK_SECRET"] = saved


def deliver(client, secret: str, payload: str):
    return client.post("/billing/stripe/webhook", data=payload, headers={
        "Stripe-Signature": sign(payload, secret), "Content-Type": "application/json"})


EVENT = {"id": "evt_bad_input", "object": "event", "type": "checkout.session.completed",
         "data": {"object": {"id": "cs_x", "client_reference_id": "1"}}}


@pytest.mark.parametrize("event", [
    {k: v for k, v in EVENT.items() if k != "type"},
    {k: v for k, v in EVENT.items() if k != "id"},
    {k: v for k, v in EVENT.items() if k != "data"},
    EVENT | {"data": {"object": "cs_x"}},
    EVENT | {"type": ["checkout.session.completed"]},
    EVENT | {"id": "evt_" + "x" * 300},
    [EVENT],
], ids=["no-type", "no-id", "no-data", "object-not-a-dict", "type-not-a-string",
        "id-too-long", "array"])
def test_a_signed_stripe_event_without_its_parts_is_400(client, webhook_secret, event):
    response = deliver(client, webhook_secret, json.dumps(event))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_a_signed_stripe_event_nested_deep_or_with_nan_is_400(client, webhook_secret):
    deep = json.dumps(EVENT)[:-1] + ', "extra": ' + "[" * 5000 + "]" * 5000 + "}"
    assert deliver(client, webhook_secret, deep).status_code == 400
    nan = json.dumps(EVENT)[:-1] + ', "extra": NaN}'
    assert deliver(client, webhook_secret, nan).status_code == 400


@pytest.mark.parametrize("obj", [
    {"id": "cs_x", "metadata": "tenant 1"},
    {"id": {"nested": 1}, "client_reference_id": "1"},
    {"id": "cs_x", "client_reference_id": "99999999999999999999"},
])
def test_a_signed_stripe_event_with_odd_fields_names_no_session(client, webhook_secret, obj):
    event = EVENT | {"id": f"evt_odd_{abs(hash(json.dumps(obj)))}", "data": {"object": obj}}
    response = deliver(client, webhook_secret, json.dumps(event))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown_session"


def test_signing_up_another_company_with_a_token_in_hand(tenant_a):
    from tests.conftest import signup_payload

    assert tenant_a.post("/signup", signup_payload()).status_code == 201
