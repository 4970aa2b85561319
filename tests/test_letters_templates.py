"""Letter templates: the admin's API and page, defaults per language, the placeholders of
response templates and the letters' own, bad input refused with a clear error."""
from tests.conftest import STRONG_PASSWORD
from tests.letters_support import deliver, html_of, text_of
from tests.test_tickets_support import add_staff, new_ticket


def test_every_kind_answers_its_default_with_the_placeholders_it_may_use(tenant_a):
    for kind in ("receipt", "reply", "resolved", "staff_new_ticket", "staff_assigned"):
        for language in ("en", "ru", "kk"):
            response = tenant_a.get(f"/letters/{kind}?language={language}")
            assert response.status_code == 200, (kind, language, response.get_json())
            body = response.get_json()
            assert body["kind"] == kind and body["language"] == language
            assert body["customized"] is False and body["subject"] and body["body"]
            assert "ticket.number" in body["placeholders"]
    reply = tenant_a.get("/letters/reply").get_json()
    assert reply["language"] == "en"  # the company's language by default
    assert "{{reply.body}}" in reply["body"] and "reply.body" in reply["placeholders"]
    assert "ticket.rating_url" in tenant_a.get("/letters/resolved").get_json()["placeholders"]


def test_a_tenants_own_wording_is_stored_sanitized_and_used_for_its_letters(app, tenant_a):
    response = tenant_a.call("PUT", "/letters/receipt?language=en", {
        "subject": "We got it: {{ ticket.subject }}",
        "body": '<p>Dear {{customer.name}},</p><script>alert(1)</script>'
                '<p onclick="x()">See <a href="{{ticket.status_url}}">your request</a>.</p>'
                "<p>{{company.name}}</p>"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["customized"] is True and "<script" not in body["body"]
    assert "onclick" not in body["body"] and 'href="{{ticket.status_url}}"' in body["body"]
    assert tenant_a.get("/letters/receipt").get_json()["subject"] == \
        "We got it: {{ ticket.subject }}"
    new_ticket(tenant_a, subject="Broken <b>tray</b>")
    [letter] = deliver(app)
    assert letter["Subject"] == "[#1] We got it: Broken <b>tray</b>"
    assert "Dear Cus Tomer," in text_of(letter) and "alert" not in html_of(letter)
    assert "your request (http" in text_of(letter)
    events = tenant_a.get("/events?action=letter_template.updated").get_json()["items"]
    assert events and events[0]["data"]["kind"] == "receipt"
    # Back to the default.
    reset = tenant_a.delete("/letters/receipt?language=en")
    assert reset.status_code == 200 and reset.get_json()["customized"] is False


def test_bad_input_is_refused_with_a_clear_error(tenant_a):
    assert tenant_a.get("/letters/bogus").status_code == 404
    assert tenant_a.get("/letters/bogus").get_json()["error"]["code"] == "not_found"
    assert tenant_a.call("PUT", "/letters/bogus", {"subject": "s", "body": "b"}
                         ).status_code == 404
    unknown = tenant_a.call("PUT", "/letters/receipt", {
        "subject": "Hi {{customer.nmae}}", "body": "<p>{{reply.body}} {{ticket.number}}</p>"})
    assert unknown.status_code == 422
    fields = unknown.get_json()["error"]["fields"]
    assert "customer.nmae" in fields["subject"] and "reply.body" in fields["body"]
    too_long = tenant_a.call("PUT", "/letters/reply", {"subject": "s" * 201, "body": "b"})
    assert too_long.status_code == 422 and "subject" in too_long.get_json()["error"]["fields"]
    long_body = tenant_a.call("PUT", "/letters/reply", {"subject": "s", "body": "b" * 20_001})
    assert long_body.status_code == 422 and "body" in long_body.get_json()["error"]["fields"]
    empty = tenant_a.call("PUT", "/letters/reply", {"subject": "  ", "body": " "})
    assert set(empty.get_json()["error"]["fields"]) == {"subject", "body"}
    assert tenant_a.get("/letters/reply?language=de").status_code == 422
    assert tenant_a.call("PUT", "/letters/reply", {"subject": "s"}).status_code == 422
    assert tenant_a.get("/letters/reply").get_json()["customized"] is False  # nothing stored


def test_only_admins_change_letters(client, tenant_a):
    agent, _ = add_staff(tenant_a, client)
    assert agent.get("/letters/receipt").status_code == 403
    assert agent.call("PUT", "/letters/receipt", {"subject": "s", "body": "b"}
                      ).status_code == 403


def test_one_companys_wording_is_not_anothers(tenant_a, tenant_b):
    tenant_a.call("PUT", "/letters/resolved?language=ru",
                  {"subject": "Alpha only", "body": "<p>Alpha</p>"})
    other = tenant_b.get("/letters/resolved?language=ru").get_json()
    assert other["customized"] is False and other["subject"] != "Alpha only"


def test_a_preview_fills_sample_values_in_the_chosen_language(tenant_a):
    stored = tenant_a.post("/letters/reply/preview?language=en", {})
    assert stored.status_code == 200, stored.get_json()
    body = stored.get_json()
    assert body["subject"].startswith("[#1042] ") and "Jane Customer" in body["text"]
    assert "new password" in body["text"]  # a sample reply stands in for {{reply.body}}
    draft = tenant_a.post("/letters/receipt/preview",
                          {"subject": "Got {{ticket.number}}", "body": "<p>{{staff.name}}</p>"})
    assert draft.status_code == 422  # receipts have no staff member to name
    draft = tenant_a.post("/letters/receipt/preview",
                          {"subject": "Got {{ticket.number}}", "body": "<p>{{company.name}}</p>"})
    assert draft.get_json()["subject"] == "[#1042] Got 1042"
    assert "Company " in draft.get_json()["html"]


def test_the_admin_page_lists_edits_previews_and_restores(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    index = client.get("/app/letters/")
    assert index.status_code == 200 and 'data-testid="edit-reply-kk"' in index.text
    page = client.get("/app/letters/edit?kind=reply&language=kk")
    assert page.status_code == 200 and 'data-testid="preview-html"' in page.text
    assert client.get("/app/letters/edit?kind=bogus").status_code == 404
    preview = client.post("/app/letters/edit?kind=reply&language=kk", data={
        "action": "preview", "subject": "Жауап {{ticket.number}}", "body": "<p>Сәлем</p>"})
    assert preview.status_code == 200 and "[#1042] Жауап 1042" in preview.text
    assert api.get("/letters/reply?language=kk").get_json()["customized"] is False
    wrong = client.post("/app/letters/edit?kind=reply&language=kk", data={
        "action": "save", "subject": "{{nope}}", "body": "<p>x</p>"})
    assert wrong.status_code == 200 and "{{nope}}" in wrong.text
    saved = client.post("/app/letters/edit?kind=reply&language=kk", data={
        "action": "save", "subject": "Жауап", "body": "<p>{{reply.body}}</p>"})
    assert saved.status_code == 302
    assert api.get("/letters/reply?language=kk").get_json()["subject"] == "Жауап"
    assert client.post("/app/letters/reset?kind=reply&language=kk").status_code == 302
    assert api.get("/letters/reply?language=kk").get_json()["customized"] is False
