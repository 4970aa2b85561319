"""The knowledge base in the widget: suggestions as the visitor types, an article opened in
the panel, and the deflection figures the widget records (shown, opened, deflected)."""
from app.kb.figures import figures_between, tenant_today
from tests.crosstenant.rules import as_tenant_of
from tests.kb_support import article
from tests.widget_support import SHOP, Site


def _figures(app, api) -> dict:
    with as_tenant_of(app, api) as staff:
        today = tenant_today(staff.tenant_id)
        return figures_between(today, today)[today]


def test_suggestions_follow_the_subject_and_are_counted(app, tenant_a):
    site = Site(tenant_a).allow()
    printer = article(tenant_a, "Printer does not print", "Restart the **printer** spooler.")
    article(tenant_a, "Internal: printer admin", "secret", public=False)
    response = site.get("/suggest?q=printer%20prints%20nothing&language=en")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    [found] = response.get_json()["articles"]
    assert found["id"] == printer["id"] and found["title"] == "Printer does not print"
    assert found["url"].startswith("http") and f"/a/{printer['id']}-" in found["url"]
    assert "<mark>" in found["snippet"]
    assert site.get("/suggest?q=pr").get_json() == {"articles": []}  # too short to ask
    assert site.get("/suggest?q=" + "x" * 10_000).get_json() == {"articles": []}
    assert site.get("/suggest?q=!!!%20???").get_json() == {"articles": []}
    assert _figures(app, tenant_a)["suggestions_shown"] == 1


def test_an_article_opens_in_the_panel_and_only_a_published_one(app, tenant_a):
    site = Site(tenant_a).allow()
    public = article(tenant_a, "Reset a password", "Click **Forgot password**.")
    internal = article(tenant_a, "Staff only", "nope", public=False)
    response = site.get(f"/articles/{public['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Reset a password" and "<strong>Forgot password</strong>" in (
        body["body_html"])
    assert site.get(f"/articles/{internal['id']}").status_code == 404
    assert site.get("/articles/99999999").status_code == 404
    assert _figures(app, tenant_a)["article_opened_widget"] == 1


def test_another_tenants_article_is_not_found_through_this_key(tenant_a, tenant_b):
    theirs = article(tenant_b, "Their secret article", "text")
    assert Site(tenant_a).allow().get(f"/articles/{theirs['id']}").status_code == 404


def test_a_deflected_session_is_counted_once(app, tenant_a):
    site = Site(tenant_a).allow()
    url = f"/widget/{site.key}/beacon"
    beacon = '{"deflected": true, "session": "abcDEF123456"}'
    for _ in range(3):
        response = site.client.post(url, data=beacon, content_type="text/plain;charset=UTF-8",
                                    headers={"Origin": SHOP})
        assert response.status_code == 204
    site.client.post(url, data="not json", content_type="text/plain",
                     headers={"Origin": SHOP})
    site.client.post(url, data='{"deflected": true, "session": "../bad"}',
                     content_type="text/plain", headers={"Origin": SHOP})
    refused = site.client.post(url, data=beacon, content_type="text/plain",
                               headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert _figures(app, tenant_a)["session_deflected"] == 1
