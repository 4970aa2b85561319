"""Helpers for the internal mail tests and the cross-tenant walker (no tests here)."""
from tests.conftest import STRONG_PASSWORD, Api


def with_addon(api: Api) -> Api:
    """The company buys internal mail (a Standard add-on; Pro includes it)."""
    if "internal_mail" in api.get("/tenant").get_json()["addons"]:
        return api
    response = api.post("/billing/addons", {"addon": "internal_mail"})
    assert response.status_code == 201, response.get_json()
    return api


def colleague(api: Api, *, name: str = "Cole League", email: str = "cole@staff.example",
              role: str = "agent") -> tuple[Api, dict]:
    """A staff member of ``api``'s company and an Api with their token."""
    response = api.post("/staff", {"name": name, "email": email, "role": role,
                                   "password": STRONG_PASSWORD, "departments": []})
    assert response.status_code == 201, response.get_json()
    return token_of(api, email), response.get_json()


def token_of(api: Api, email: str) -> Api:
    """An Api signed in as the staff member ``email`` of ``api``'s company."""
    slug = api.get("/tenant").get_json()["slug"]
    token = api.client.post("/api/v1/tokens", json={"tenant": slug, "email": email,
                                                    "password": STRONG_PASSWORD})
    assert token.status_code == 201, token.get_json()
    return Api(api.client, token.get_json()["token"])


def conversation(api: Api, **over) -> dict:
    """The admin of ``api``'s company (with the add-on) writes to a new colleague."""
    with_addon(api)
    _cole, member = colleague(api)
    payload = {"subject": "Printer budget", "body": "Shall we buy a new one?",
               "participants": [member["id"]]} | over
    response = api.post("/internal/conversations", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
