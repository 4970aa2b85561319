"""What a requester does in the portal: reply with files (bad files keep the text),
say it's solved, confirm, reopen — through the ticket desk's own services."""
import io

from tests.portal_support import PNG, form_token, page, portal_ticket, status_of

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _post(client, url: str, action: str, data: dict, **kw):
    token = form_token(page(client, url)[1])
    return client.post(f"{url}/{action}", data=data | {"form_token": token}, **kw)


def test_reply_with_an_attachment_goes_the_customer_message_way(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    tenant_a.patch(f"/tickets/{number}", {"status": "pending"})
    response = _post(client, url, "reply", {
        "body": "Here is a photo <b>of it</b>",
        "files": [(io.BytesIO(PNG), "smoke.png")]}, content_type="multipart/form-data")
    assert response.status_code == 302 and "done=sent" in response.location
    ticket = tenant_a.get(f"/tickets/{number}").get_json()
    assert ticket["status"] == "open"  # waiting for the customer: back to the team
    last = ticket["messages"][-1]
    assert last["author"]["kind"] == "customer" and not last["internal"]
    assert "&lt;b&gt;of it&lt;/b&gt;" in last["body_html"]
    assert [a["filename"] for a in last["attachments"]] == ["smoke.png"]
    events = tenant_a.get("/events?action=ticket.customer_replied").get_json()["items"]
    assert events and events[0]["actor"]["type"] == "customer"
    html = page(client, response.location)[1]
    assert "Your message was sent." in html and "smoke.png" in html
    download = client.get(f"{url}/files/{last['attachments'][0]['id']}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_an_internal_notes_file_is_not_served(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    upload = tenant_a.client.post("/api/v1/attachments", headers={
        "Authorization": f"Bearer {tenant_a.token}"},
        data={"file": (io.BytesIO(PNG), "internal.png")}, content_type="multipart/form-data")
    attachment_id = upload.get_json()["id"]
    tenant_a.post(f"/tickets/{number}/messages", {"body": "note", "internal": True,
                                                  "attachment_ids": [attachment_id]})
    assert client.get(f"{url}/files/{attachment_id}").status_code == 404
    assert "internal.png" not in page(client, url)[1]


def test_a_disallowed_or_oversized_file_keeps_the_text(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    refused = _post(client, url, "reply", {"body": "My long explanation",
                                           "files": [(io.BytesIO(EXE), "tool.exe")]},
                    content_type="multipart/form-data")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "My long explanation" in html and "not accepted here" in html
    tenant_a.patch("/settings/attachments", {"max_file_bytes": 1024})
    big = _post(client, url, "reply", {"body": "Second try",
                                       "files": [(io.BytesIO(b"x" * 5000), "log.txt")]},
                content_type="multipart/form-data")
    assert big.status_code == 413
    assert "Second try" in big.get_data(as_text=True) and "the limit is 1 KB" in big.get_data(
        as_text=True)
    assert len(tenant_a.get(f"/tickets/{number}").get_json()["messages"]) == 1


def test_files_past_the_request_limit_still_give_the_text_back(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    token = form_token(page(client, url)[1])
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        response = client.post(f"{url}/reply", data={
            "form_token": token, "body": "Typed before the huge file — кириллица",
            "files": [(io.BytesIO(b"\0" * 200_000), "huge.bin")]},
            content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Typed before the huge file — кириллица" in html
    assert "too large to send together" in html
    assert len(tenant_a.get(f"/tickets/{number}").get_json()["messages"]) == 1


def test_an_empty_reply_is_refused_with_a_message(app, client, tenant_a):
    _, url = portal_ticket(app, tenant_a)
    response = _post(client, url, "reply", {"body": "   "})
    assert response.status_code == 422 and "Write a message." in response.get_data(as_text=True)


def test_solved_then_reopen_then_confirm(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    solved = _post(client, url, "solve", {"status": "new"})
    assert solved.status_code == 302 and "done=solved" in solved.location
    assert status_of(tenant_a, number) == "resolved"
    again = client.post(f"{url}/solve", data={"status": "new",
                                              "form_token": form_token(page(client, url)[1])})
    assert "done=unchanged" in again.location  # a second click changes nothing
    assert status_of(tenant_a, number) == "resolved"
    assert "done=reopened" in _post(client, url, "reopen", {"status": "resolved"}).location
    assert status_of(tenant_a, number) == "open"
    tenant_a.patch(f"/tickets/{number}", {"status": "resolved"})  # the agent resolves it
    confirmed = _post(client, url, "solve", {"status": "resolved"})
    assert "done=closed" in confirmed.location and status_of(tenant_a, number) == "closed"
    assert "Thank you for confirming" in page(client, confirmed.location)[1]
    changes = tenant_a.get("/events?action=ticket.status_changed").get_json()["items"]
    by_customer = [e["data"]["after"] for e in changes if e["actor"]["type"] == "customer"]
    assert by_customer == ["closed", "open", "resolved"]  # newest first


def test_writing_again_reopens_a_closed_request(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    tenant_a.patch(f"/tickets/{number}", {"status": "closed"})
    html = page(client, url)[1]
    assert "Writing again reopens the request." in html and 'data-testid="solve"' not in html
    _post(client, url, "reply", {"body": "It is back"})
    assert status_of(tenant_a, number) == "open"


def test_a_merged_request_leads_to_the_survivor(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a, subject="Duplicate")
    survivor, _ = portal_ticket(app, tenant_a, subject="The one we keep")
    assert tenant_a.post(f"/tickets/{number}/merge", {"into": survivor}).status_code in (200, 201)
    response = client.get(url)
    assert response.status_code == 302
    assert "The one we keep" in page(client, response.location)[1]
