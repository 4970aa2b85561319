"""The knowledge base on the embedded default (SQLite): FTS5 kept by triggers, Snowball
stems as prefixes for word forms, the typo pass over titles, safe snippets, the public
pages, votes and the views flush."""
import textwrap

import pytest

from tests.sqlite_support import prelude, run_on_sqlite

SCRIPT = prelude(company="Lite KB", slug="lite-kb", imports="""
    from app.kb import jobs, search
    from tenants import context
    from tenants.resolve import tenant_id_by_slug
""") + textwrap.dedent('''
    printer = post("/kb/articles", {"title": "Принтер не печатает", "language": "ru",
        "public": True, "body_markdown": "Проверьте кабель принтера & <b>очередь</b>."})
    post("/kb/articles", {"title": "Printers and drivers", "language": "en", "public": True,
        "body_markdown": "Install the printer drivers first."})
    secret = post("/kb/articles", {"title": "Внутренние коды принтера", "language": "ru",
        "body_markdown": "Сервисный код."})

    def found(q, **params):
        response = client.get("/api/v1/kb/search", query_string={"q": q} | params,
                              headers=auth)
        assert response.status_code == 200, response.get_json()
        return [item["title"] for item in response.get_json()["items"]]

    assert "Принтер не печатает" in found("принтеры"), found("принтеры")
    assert found("printing")[0] == "Printers and drivers", found("printing")
    assert found("принтр")[0] == "Принтер не печатает", found("принтр")
    assert found("сервисный") == ["Внутренние коды принтера"]  # staff see internal ones
    assert found("x" * 10000) == [] and found("?!,.") == []
    snippet = client.get("/api/v1/kb/search?q=кабель", headers=auth).get_json()["items"][0]
    assert "<mark>" in snippet["snippet"] and "<b>" not in snippet["snippet"], snippet
    client.patch("/api/v1/kb/articles/%d" % printer["id"], headers=auth,
                 json={"title": "Сканер не сканирует"})
    assert found("сканеры") == ["Сканер не сканирует"], found("сканеры")
    assert "Сканер не сканирует" not in found("печатает")

    with app.test_request_context():
        tenant_id = tenant_id_by_slug("lite-kb")
        with context.tenant_scope(tenant_id):
            titles = [s["title"] for s in search.suggest(tenant_id, "принтера", None)]
    assert "Внутренние коды принтера" not in titles and titles, titles

    page = client.get("/kb/lite-kb/")
    assert page.status_code == 200 and "Printers and drivers" in page.get_data(as_text=True)
    url = client.get("/api/v1/kb/articles/%d" % printer["id"], headers=auth).get_json()["url"]
    assert client.get(url).status_code == 200
    assert client.get("/api/v1/kb/articles/%d" % secret["id"], headers=auth).status_code == 200
    assert client.get("/kb/lite-kb/a/%d" % secret["id"]).status_code == 404
    assert client.post("/kb/lite-kb/a/%d/vote" % printer["id"],
                       data={"helpful": "yes"}).status_code == 303
    with app.app_context():
        jobs.flush_views_job()
    got = client.get("/api/v1/kb/articles/%d" % printer["id"], headers=auth).get_json()
    assert (got["views"], got["helpful_yes"]) == (1, 1), got
    deleted = client.delete("/api/v1/kb/articles/%d" % printer["id"], headers=auth)
    assert deleted.status_code == 204
    assert "Сканер не сканирует" not in found("сканеры")
    print("kb on sqlite ok")
''')


@pytest.mark.embedded
@pytest.mark.real_commits
def test_knowledge_base_on_sqlite(tmp_path):
    assert "kb on sqlite ok" in run_on_sqlite(tmp_path, SCRIPT)
