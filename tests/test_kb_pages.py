"""Knowledge-base staff pages: the list with filters and search, the editor with its preview,
categories, moderation, the reply-box picker and "save a reply as an article"; agents read
only. And the public site of a suspended company stays open, like the rest of its public
face."""
from app.extensions import db
from tenants.models import Tenant
from tests.conftest import STRONG_PASSWORD, Api
from tests.kb_support import article, comment, in_tenant, slug_of, staff_api


def _login(client, api, email=None):
    slug = slug_of(api)
    response = client.post(f"/t/{slug}/login", data={
        "email": email or f"admin@{slug}.example", "password": STRONG_PASSWORD})
    assert response.status_code == 302


def test_editor_preview_save_and_list(client, tenant_a):
    _login(client, tenant_a)
    form = {"title": "VPN setup", "body_markdown": "Open **Settings**.", "category_id": "",
            "language": "en", "public": "y"}
    preview = client.post("/app/kb/articles/new", data=form | {"action": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<strong>Settings</strong>" in html
    assert tenant_a.get("/kb/articles").get_json()["items"] == []  # a preview saves nothing
    saved = client.post("/app/kb/articles/new", data=form | {"action": "save"})
    assert saved.status_code == 302
    made = tenant_a.get("/kb/articles").get_json()["items"][0]
    assert (made["title"], made["public"], made["draft"]) == ("VPN setup", True, False)
    refused = client.post(f"/app/kb/articles/{made['id']}", data=form | {"title": ""})
    assert refused.status_code == 422 and "Open **Settings**." in refused.get_data(as_text=True)
    listing = client.get("/app/kb/?q=vpn").get_data(as_text=True)
    assert "VPN setup" in listing
    text = client.get("/app/kb/?q=settings&mode=text").get_data(as_text=True)
    assert "<mark>Settings</mark>" in text
    assert "VPN setup" not in client.get("/app/kb/?public=no").get_data(as_text=True)
    assert client.post(f"/app/kb/articles/{made['id']}/delete").status_code == 302
    assert tenant_a.get(f"/kb/articles/{made['id']}").status_code == 404


def test_agents_read_but_cannot_write(client, tenant_a):
    staff_api(client, tenant_a, "agent", "agent-pages@staff.example")
    made = article(tenant_a, "Agent reads this", "Body **here**.")
    _login(client, tenant_a, "agent-pages@staff.example")
    assert client.get("/app/kb/").status_code == 200
    read = client.get(f"/app/kb/articles/{made['id']}")
    assert read.status_code == 200 and "<strong>here</strong>" in read.get_data(as_text=True)
    assert 'name="body_markdown"' not in read.get_data(as_text=True)
    assert client.get("/app/kb/articles/new").status_code == 403
    assert client.post(f"/app/kb/articles/{made['id']}/delete").status_code == 403
    assert client.post("/app/kb/categories", data={"name": "X"}).status_code == 403
    assert client.get("/app/kb/comments").status_code == 200


def test_categories_and_moderation_pages(client, tenant_a):
    _login(client, tenant_a)
    assert client.post("/app/kb/categories", data={"name": "Accounts", "slug": "",
                                                   "parent_id": "", "position": "0",
                                                   "description": ""}).status_code == 302
    top = tenant_a.get("/kb/categories").get_json()["items"][0]
    bad = client.post("/app/kb/categories", data={"name": "Bad", "slug": "search",
                                                  "parent_id": "", "position": "0"})
    assert bad.status_code == 200 and "Bad" in bad.get_data(as_text=True)
    made = article(tenant_a, "Commented", category_id=top["id"])
    comment_id = comment(tenant_a, made["id"], body="<b>hi</b>")
    page = client.get("/app/kb/comments").get_data(as_text=True)
    assert "&lt;b&gt;hi&lt;/b&gt;" in page
    assert client.post(f"/app/kb/comments/{comment_id}/approve").status_code == 302
    assert tenant_a.get("/kb/comments?status=approved").get_json()["items"][0]["id"] == \
        comment_id
    assert client.post(f"/app/kb/categories/{top['id']}/delete").status_code == 302
    assert tenant_a.get(f"/kb/categories/{top['id']}").status_code == 200  # it holds one
    assert client.post(f"/app/kb/comments/{comment_id}/delete").status_code == 302


def test_picker_and_reply_to_article(client, tenant_a):
    _login(client, tenant_a)
    made = article(tenant_a, "Invoice copies", "Billing, then Invoices.")
    internal = article(tenant_a, "Invoice internals", public=False)
    results = client.get("/app/kb/picker?kb_q=invoices").get_data(as_text=True)
    assert "Invoice copies" in results and "Invoice internals" not in results
    pick = client.get(f"/app/kb/picker/{made['id']}").get_data(as_text=True)
    assert f"http://127.0.0.1:5000{made['url']}" in pick and "data-insert" in pick
    assert client.get(f"/app/kb/picker/{internal['id']}").status_code == 404
    number = tenant_a.post("/tickets", {"subject": "Where is my invoice?", "body": "?",
                                        "requester": {"email": "c@client.example"}}
                           ).get_json()["number"]
    tenant_a.post(f"/tickets/{number}/messages", {"body": "Open *Billing* <then> Invoices."})
    tenant_a.post(f"/tickets/{number}/messages", {"body": "note", "internal": True})
    messages = tenant_a.get(f"/tickets/{number}").get_json()["messages"]
    reply = next(m for m in messages if m["author"]["kind"] == "staff" and not m["internal"])
    note = next(m for m in messages if m["internal"])
    customer = next(m for m in messages if m["author"]["kind"] == "customer")
    ticket_page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert f"/app/kb/from-message/{reply['id']}" in ticket_page
    assert f"/app/kb/from-message/{note['id']}" not in ticket_page
    for refused in (note, customer):
        assert client.post(f"/app/kb/from-message/{refused['id']}").status_code == 404
    made_draft = client.post(f"/app/kb/from-message/{reply['id']}")
    assert made_draft.status_code == 302
    draft = tenant_a.get(made_draft.headers["Location"].replace("/app/kb/articles/",
                                                                "/kb/articles/")).get_json()
    assert (draft["title"], draft["public"], draft["draft"]) == \
        ("Where is my invoice?", False, True)
    assert draft["body_markdown"] == "Open \\*Billing\\* \\<then\\> Invoices."
    assert "Open *Billing* &lt;then&gt; Invoices." in draft["body_html"]


def test_a_suspended_company_keeps_its_help_center(app, client, tenant_a):
    made = article(tenant_a, "Still readable")
    with in_tenant(app, tenant_a) as tenant_id:
        db.session.get(Tenant, tenant_id).suspended_at = db.func.now()
        db.session.commit()
    assert client.get(made["url"]).status_code == 200
    assert client.post(f"/kb/{slug_of(tenant_a)}/a/{made['id']}/vote",
                       data={"helpful": "yes"}).status_code == 303
    assert Api(client, tenant_a.token).post("/kb/articles", {"title": "x"}).status_code == 402
