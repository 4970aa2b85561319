"""Knowledge-base API: articles, categories, comments, search — every endpoint and error."""
from tests.kb_support import article, category, slug_of, staff_api


def test_article_crud_renders_safe_markdown(tenant_a):
    cat = category(tenant_a, "Printing")
    created = article(tenant_a, "Printer offline",
                      "# Fix\n\n<script>alert(1)</script> **Restart** "
                      "[it](javascript:alert(1)) and [docs](https://x.example/a)",
                      category_id=cat["id"], featured=True)
    assert created["body_html"].startswith("<h1>Fix</h1>")
    assert "<script>" not in created["body_html"]
    assert "&lt;script&gt;" in created["body_html"]
    assert "href=\"javascript" not in created["body_html"]  # left as inert text
    assert 'href="https://x.example/a"' in created["body_html"]
    assert created["url"] == f"/kb/{slug_of(tenant_a)}/a/{created['id']}-printer-offline"
    assert (created["public"], created["featured"], created["draft"]) == (True, True, False)
    assert (created["views"], created["helpful_yes"], created["helpful_no"]) == (0, 0, 0)

    got = tenant_a.get(f"/kb/articles/{created['id']}").get_json()
    assert got["title"] == "Printer offline" and got["category_id"] == cat["id"]
    patched = tenant_a.patch(f"/kb/articles/{created['id']}",
                             {"title": "Printer is offline", "category_id": None,
                              "public": False})
    assert patched.status_code == 200, patched.get_json()
    body = patched.get_json()
    assert (body["title"], body["category_id"], body["public"]) == \
        ("Printer is offline", None, False)
    assert body["body_markdown"] == created["body_markdown"]  # untouched fields stay
    events = tenant_a.get("/events?action=kb.").get_json()["items"]
    assert {"kb.article_created", "kb.article_updated", "kb.category_created"} <= \
        {e["action"] for e in events}
    listed = tenant_a.get("/kb/articles").get_json()
    assert [a["id"] for a in listed["items"]] == [created["id"]]
    assert tenant_a.delete(f"/kb/articles/{created['id']}").status_code == 204
    assert tenant_a.get(f"/kb/articles/{created['id']}").status_code == 404
    assert tenant_a.delete(f"/kb/articles/{created['id']}").status_code == 404


def test_article_language_defaults_to_the_company_and_filters_work(signup):
    api, _body = signup(language="ru")
    ru = api.post("/kb/articles", {"title": "Счёт"}).get_json()
    assert ru["language"] == "ru" and ru["public"] is False
    article(api, "Invoice", language="en", featured=True)
    titles = lambda **q: [a["title"] for a in api.get("/kb/articles", query_string=q)  # noqa: E731
                          .get_json()["items"]]
    assert titles(language="ru") == ["Счёт"]
    assert titles(featured="true") == ["Invoice"]
    assert titles(public="false") == ["Счёт"]
    assert titles(q="invo") == ["Invoice"]
    page = api.get("/kb/articles", query_string={"limit": 1}).get_json()
    assert len(page["items"]) == 1 and page["next_cursor"]


def test_article_bad_input(tenant_a):
    response = tenant_a.post("/kb/articles", {"title": "", "language": "de"})
    assert response.status_code == 422
    assert {"title", "language"} <= set(response.get_json()["error"]["fields"])
    missing = tenant_a.post("/kb/articles", {"title": "x", "category_id": 987654})
    assert missing.status_code == 422
    assert "category_id" in missing.get_json()["error"]["fields"]
    made = article(tenant_a, "Kept")
    for patch in ({"title": None}, {"public": None}, {"language": "fr"}, {"title": " "}):
        refused = tenant_a.patch(f"/kb/articles/{made['id']}", patch)
        assert refused.status_code == 422, (patch, refused.get_json())
    assert tenant_a.get(f"/kb/articles/{made['id']}").get_json()["title"] == "Kept"
    too_long = tenant_a.post("/kb/articles", {"title": "x" * 201})
    assert too_long.status_code == 422
    assert tenant_a.get("/kb/articles/99999999999999999999").status_code == 404
    assert tenant_a.patch("/kb/articles/424242", {"title": "y"}).status_code == 404


def test_agents_read_and_search_but_do_not_write(client, tenant_a):
    agent = staff_api(client, tenant_a, "agent")
    made = article(tenant_a, "Made by the admin for managers", public=False)
    assert agent.get(f"/kb/articles/{made['id']}").status_code == 200
    assert agent.get("/kb/search?q=manager").get_json()["items"][0]["public"] is False
    assert agent.post("/kb/articles", {"title": "Nope"}).status_code == 403
    assert agent.patch(f"/kb/articles/{made['id']}", {"title": "x"}).status_code == 403
    assert agent.delete(f"/kb/articles/{made['id']}").status_code == 403
    assert agent.post("/kb/categories", {"name": "Nope"}).status_code == 403
    assert agent.get("/kb/categories").status_code == 200
    assert client.get("/api/v1/kb/articles",
                      headers={"Authorization": "Bearer nope"}).status_code == 401


def test_managers_write(client, tenant_a):
    manager = staff_api(client, tenant_a, "manager")
    made = article(manager, "Made by a manager")
    assert manager.patch(f"/kb/articles/{made['id']}", {"featured": True}).status_code == 200
    assert category(manager, "Manager's")["slug"] == "manager-s"
    assert manager.delete(f"/kb/articles/{made['id']}").status_code == 204


def test_categories_nest_one_level(tenant_a):
    top = category(tenant_a, "Billing & payments")
    assert top["slug"] == "billing-payments"
    child = category(tenant_a, "Счета", parent_id=top["id"])
    assert child["slug"] == "scheta"
    deeper = tenant_a.post("/kb/categories", {"name": "Deeper", "parent_id": child["id"]})
    assert deeper.status_code == 422 and "parent_id" in deeper.get_json()["error"]["fields"]
    moved = tenant_a.patch(f"/kb/categories/{top['id']}", {"parent_id": child["id"]})
    assert moved.status_code == 422
    taken = tenant_a.post("/kb/categories", {"name": "Other", "slug": "scheta"})
    assert taken.status_code == 422 and "slug" in taken.get_json()["error"]["fields"]
    for bad in ("search", "a", "Not a slug!"):
        assert tenant_a.post("/kb/categories", {"name": "X", "slug": bad}).status_code == 422
    renamed = tenant_a.patch(f"/kb/categories/{child['id']}", {"name": "Invoices",
                                                                "slug": "invoices"})
    assert renamed.get_json()["slug"] == "invoices"
    assert [c["name"] for c in tenant_a.get("/kb/categories").get_json()["items"]] == \
        ["Billing & payments", "Invoices"]
    used = article(tenant_a, "In a category", category_id=child["id"])
    assert tenant_a.delete(f"/kb/categories/{top['id']}").status_code == 409
    assert tenant_a.delete(f"/kb/categories/{child['id']}").status_code == 409
    tenant_a.patch(f"/kb/articles/{used['id']}", {"category_id": None})
    assert tenant_a.delete(f"/kb/categories/{child['id']}").status_code == 204
    assert tenant_a.delete(f"/kb/categories/{top['id']}").status_code == 204
    assert tenant_a.get(f"/kb/categories/{top['id']}").status_code == 404


def test_search_endpoint_bounds(tenant_a):
    article(tenant_a, "Printer guide", "How to print.")
    huge = tenant_a.get("/kb/search", query_string={"q": "printer " * 1250})
    assert huge.status_code == 200 and huge.get_json() == {"items": []}
    punctuation = tenant_a.get("/kb/search", query_string={"q": "?!… --- ,,, ***"})
    assert punctuation.status_code == 200 and punctuation.get_json() == {"items": []}
    assert tenant_a.get("/kb/search?q=printer&language=xx").status_code == 422
    assert tenant_a.get("/kb/search?q=printer&limit=0").status_code == 422
    hit = tenant_a.get("/kb/search?q=printer").get_json()["items"][0]
    assert set(hit) == {"id", "title", "snippet", "url", "public"}


def test_comment_moderation_api(client, tenant_a):
    made = article(tenant_a, "Commented", "Text")
    slug = slug_of(tenant_a)
    posted = client.post(f"/kb/{slug}/a/{made['id']}/comments",
                         data={"name": "Reader", "body": "<b>Nice</b> article"})
    assert posted.status_code == 303
    pending = tenant_a.get("/kb/comments?status=pending").get_json()["items"]
    assert [(c["name"], c["body"], c["status"]) for c in pending] == \
        [("Reader", "<b>Nice</b> article", "pending")]
    agent = staff_api(client, tenant_a, "agent")
    assert agent.post(f"/kb/comments/{pending[0]['id']}/approve").status_code == 403
    approved = tenant_a.post(f"/kb/comments/{pending[0]['id']}/approve")
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert tenant_a.get("/kb/comments?status=pending").get_json()["items"] == []
    assert tenant_a.get("/kb/comments?status=weird").status_code == 422
    assert agent.delete(f"/kb/comments/{pending[0]['id']}").status_code == 403
    assert tenant_a.delete(f"/kb/comments/{pending[0]['id']}").status_code == 204
    assert tenant_a.delete(f"/kb/comments/{pending[0]['id']}").status_code == 404
    assert tenant_a.post("/kb/comments/777777/approve").status_code == 404


def test_openapi_documents_the_knowledge_base(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/kb/articles", "/kb/articles/{article_id}", "/kb/search", "/kb/categories",
                 "/kb/comments", "/kb/comments/{comment_id}/approve"):
        assert any(p.endswith(path) for p in spec["paths"]), path
