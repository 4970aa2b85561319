"""Helpers for the knowledge-base tests: articles and categories through the API, staff of
each role with their own tokens."""
from contextlib import contextmanager

from tenants import context
from tenants.resolve import tenant_id_by_slug
from tests.conftest import STRONG_PASSWORD, Api


def slug_of(api: Api) -> str:
    return api.get("/tenant").get_json()["slug"]


def staff_api(client, api: Api, role: str, email: str | None = None) -> Api:
    """A staff member of ``role`` in ``api``'s tenant, with an API token of their own."""
    email = email or f"{role}-kb@staff.example"
    response = api.post("/staff", {"name": f"{role.title()} Person", "email": email,
                                   "password": STRONG_PASSWORD, "role": role})
    assert response.status_code == 201, response.get_json()
    token = Api(client).post("/tokens", {"tenant": slug_of(api), "email": email,
                                         "password": STRONG_PASSWORD})
    assert token.status_code == 201, token.get_json()
    return Api(client, token.get_json()["token"])


def article(api: Api, title: str, body: str = "", **fields) -> dict:
    payload = {"title": title, "body_markdown": body, "public": True, "language": "en"} | fields
    response = api.post("/kb/articles", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def category(api: Api, name: str, **fields) -> dict:
    response = api.post("/kb/categories", {"name": name} | fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def found(api: Api, q: str, **params) -> list[str]:
    response = api.get("/kb/search", query_string={"q": q} | params)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


@contextmanager
def in_tenant(app, api: Api):
    """A request context inside ``api``'s tenant; yields the tenant id."""
    with app.test_request_context():
        tenant_id = tenant_id_by_slug(slug_of(api))
        with context.tenant_scope(tenant_id):
            yield tenant_id


def comment(api: Api, article_id: int, name: str = "Reader", body: str = "A comment") -> int:
    """A reader's comment posted on the public site; returns its id (pending)."""
    posted = api.client.post(f"/kb/{slug_of(api)}/a/{article_id}/comments",
                             data={"name": name, "body": body})
    assert posted.status_code == 303, posted.status_code
    items = api.get("/kb/comments", query_string={"article_id": article_id}).get_json()
    return items["items"][0]["id"]
