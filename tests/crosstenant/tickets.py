"""Cross-tenant factories for tickets, customers, organizations, fields and attachments.

Ticket numbers are per tenant: the walker signs up a fresh tenant B for every test, and
these factories create tickets in tenant A only, so B has no ticket with that number.
"""
import io

from tests.crosstenant import factory

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def _ticket(api, subject: str) -> int:
    response = api.post("/tickets", {"subject": subject, "body": "private",
                                     "requester": {"email": "secret@a-client.example"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


@factory("number")
def ticket_number(api) -> int:
    return _ticket(api, "Private ticket")


@factory("other_number")
def other_ticket_number(api) -> int:
    return _ticket(api, "Another private ticket")


@factory("customer_id")
def customer(api) -> int:
    return api.post("/customers", {"email": "private@a-client.example"}).get_json()["id"]


@factory("organization_id")
def organization(api) -> int:
    return api.post("/organizations", {"name": "Private Org"}).get_json()["id"]


@factory("field_id")
def custom_field(api) -> int:
    return api.post("/custom-fields", {"key": "private", "label": "Private",
                                       "kind": "text"}).get_json()["id"]


@factory("attachment_id")
def attachment(api) -> int:
    number = _ticket(api, "With a file")
    upload = api.client.post("/api/v1/attachments", headers={
        "Authorization": f"Bearer {api.token}"},
        data={"file": (io.BytesIO(PNG), "secret.png")}, content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_json()
    attachment_id = upload.get_json()["id"]
    reply = api.post(f"/tickets/{number}/messages", {"body": "see file",
                                                     "attachment_ids": [attachment_id]})
    assert reply.status_code == 201, reply.get_json()
    return attachment_id
