"""Cross-tenant factories for the knowledge base: a published article (and its address
words), a category (and its address), a reader comment, and a staff reply to save as an
article — all made in tenant A."""
from tests.crosstenant import factory


def _article(api) -> dict:
    response = api.post("/kb/articles", {"title": "Private article", "body_markdown": "secret",
                                         "public": True, "language": "en"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _category(api) -> dict:
    response = api.post("/kb/categories", {"name": "Private category"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    made = _article(api)
    api.patch(f"/kb/articles/{made['id']}", {"category_id": body["id"]})
    return body


@factory("article_id")
def article_id(api) -> int:
    return _article(api)["id"]


@factory("title")
def title(api) -> str:
    """The words of an article's address (``/a/<id>-<title>``)."""
    return _article(api)["url"].split("-", 1)[1]


@factory("category_id")
def category_id(api) -> int:
    return _category(api)["id"]


@factory("category")
def category(api) -> str:
    return _category(api)["slug"]


@factory("comment_id")
def comment_id(api) -> int:
    made = _article(api)
    slug = api.get("/tenant").get_json()["slug"]
    posted = api.client.post(f"/kb/{slug}/a/{made['id']}/comments",
                             data={"name": "Reader", "body": "secret comment"})
    assert posted.status_code == 303
    return api.get("/kb/comments?status=pending").get_json()["items"][0]["id"]


@factory("message_id")
def message_id(api) -> int:
    created = api.post("/tickets", {"subject": "Private", "body": "private",
                                    "requester": {"email": "secret@a-client.example"}})
    number = created.get_json()["number"]
    api.post(f"/tickets/{number}/messages", {"body": "A private answer"})
    messages = api.get(f"/tickets/{number}").get_json()["messages"]
    return next(m["id"] for m in messages if m["author"]["kind"] == "staff")
