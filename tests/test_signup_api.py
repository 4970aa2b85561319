from tests.conftest import Api, signup_payload


def test_signup_creates_tenant_with_trial_balance(client, signup):
    api, body = signup()
    assert body["tenant"]["balance"] == "200.00"
    assert body["tenant"]["currency"] == "RUB"
    assert body["tenant"]["plan"] == "standard"
    tenant = api.get("/tenant").get_json()
    assert tenant["balance"] == "200.00"
    assert tenant["widget_key"]
    departments = api.get("/departments").get_json()["items"]
    assert [d["name"] for d in departments] == ["Support"]
    staff = api.get("/staff").get_json()["items"]
    assert staff[0]["role"] == "admin"
    assert staff[0]["departments"] == [{"id": departments[0]["id"], "access": "manage"}]


def test_signup_events_are_logged(signup):
    api, _ = signup()
    actions = [e["action"] for e in api.get("/events").get_json()["items"]]
    for action in ("tenant.signed_up", "staff.created", "department.created",
                   "billing.credited", "token.created"):
        assert action in actions


def test_duplicate_slug_is_409(client, signup):
    _, body = signup()
    response = client.post("/api/v1/signup", json=signup_payload(body["tenant"]["slug"]))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


def test_bad_fields_are_422_with_each_field(client):
    response = client.post("/api/v1/signup", json=signup_payload(
        "ab", admin_email="not-an-email", password="short", company_name=""))
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) >= {"slug", "admin_email", "password", "company_name"}


def test_reserved_slug_and_common_password_are_refused(client):
    response = client.post("/api/v1/signup", json=signup_payload("admin",
                                                                 password="password123"))
    fields = response.get_json()["error"]["fields"]
    assert "reserved" in fields["slug"]
    assert "common" in fields["password"]


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/signup", data="{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_missing_fields_are_422(client):
    response = client.post("/api/v1/signup", json={})
    assert response.status_code == 422
    assert "slug" in response.get_json()["error"]["fields"]


def test_body_over_limit_is_413(app, client):
    big = "x" * (app.config["MAX_JSON_LENGTH"] + 10)
    response = client.post("/api/v1/signup", json=signup_payload(company_name=big))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_token_is_401(client):
    response = Api(client, "hd_wrong").get("/tenant")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_signup_is_rate_limited_per_ip(app, client):
    limit = int(app.config["SIGNUP_RATE_LIMIT"].split()[0])
    codes = [client.post("/api/v1/signup", json={}).status_code for _ in range(limit + 1)]
    assert codes[-1] == 429
    assert codes[0] == 422
    assert "Retry-After" in client.post("/api/v1/signup", json={}).headers
