"""Attachments: limits from tenant settings, type by content, storage backends (local disk
per tenant, S3 against a local S3 server), downloads for the owning tenant only."""
import io

import boto3
import pytest
from sqlalchemy import func, select

from app.attachments.service import NewFile, human_size, safe_filename
from app.attachments.storage import LocalStorage, S3Storage, StorageError
from app.errors import TooLarge, ValidationFailed
from app.extensions import db
from app.tickets import service
from app.tickets.models import Message
from tests.crosstenant.tickets import PNG
from tests.fakes.s3_server import s3_server
from tests.test_tickets_service import desk  # noqa: F401  (fixture)
from tests.test_tickets_support import add_staff, new_ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def local_storage(app, tmp_path):
    """Each test gets its own storage directory."""
    previous = app.extensions.get("attachment_storage")
    app.extensions["attachment_storage"] = LocalStorage(tmp_path / "files")
    yield tmp_path / "files"
    app.extensions["attachment_storage"] = previous


def upload(api, data: bytes, filename: str):
    return api.client.post("/api/v1/attachments", headers={"Authorization": f"Bearer {api.token}"},
                           data={"file": (io.BytesIO(data), filename)},
                           content_type="multipart/form-data")


def test_upload_reply_and_download(tenant_a, local_storage):
    new_ticket(tenant_a)
    uploaded = upload(tenant_a, PNG, "../screen shot.png")
    assert uploaded.status_code == 201, uploaded.get_json()
    body = uploaded.get_json()
    assert body["content_type"] == "image/png" and body["size"] == len(PNG)
    assert body["filename"] == "screen shot.png"
    reply = tenant_a.post("/tickets/1/messages", {"body": "see attached",
                                                  "attachment_ids": [body["id"]]})
    assert reply.status_code == 201
    [attached] = reply.get_json()["message"]["attachments"]
    assert attached["id"] == body["id"] and attached["url"].endswith("/download")
    download = tenant_a.get(f"/attachments/{body['id']}/download")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="screen shot.png"' in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "image/png"
    # Stored per tenant, under the tenant's own directory.
    [tenant_dir] = list(local_storage.iterdir())
    assert tenant_dir.name.isdigit() and len(list(tenant_dir.iterdir())) == 1
    # Used once: the same upload can't be attached again.
    again = tenant_a.post("/tickets/1/messages", {"body": "again",
                                                  "attachment_ids": [body["id"]]})
    assert again.status_code == 422 and "attachment_ids" in again.get_json()["error"]["fields"]


def test_type_is_judged_by_content_not_name(tenant_a):
    disguised = upload(tenant_a, EXE, "holiday.png")
    assert disguised.status_code == 422
    message = disguised.get_json()["error"]["message"]
    assert "application/x-msdownload" in message and "20 MB" in message
    assert upload(tenant_a, PDF, "invoice.exe").get_json()["content_type"] == "application/pdf"
    assert upload(tenant_a, "журнал ошибок\n".encode(), "log").get_json()["content_type"] \
        == "text/plain"
    assert upload(tenant_a, b"", "empty.txt").status_code == 422
    missing = tenant_a.client.post("/api/v1/attachments", data={},
                                   headers={"Authorization": f"Bearer {tenant_a.token}"})
    assert missing.status_code == 422


def test_limits_come_from_tenant_settings(tenant_a, tenant_b, client):
    rules = tenant_a.get("/settings/attachments").get_json()
    assert rules["max_file_bytes"] == 20 * 1024 * 1024
    changed = tenant_a.patch("/settings/attachments", {"max_file_bytes": 1024,
                                                       "allowed_types": ["image/png"]})
    assert changed.status_code == 200 and changed.get_json()["allowed_types"] == ["image/png"]
    big = upload(tenant_a, PNG + b"\x00" * 2000, "big.png")
    assert big.status_code == 413
    assert "1 KB" in big.get_json()["error"]["message"]
    assert upload(tenant_a, PDF, "x.pdf").status_code == 422
    assert upload(tenant_a, PNG, "ok.png").status_code == 201
    # Another tenant keeps the defaults.
    assert upload(tenant_b, PNG + b"\x00" * 2000, "big.png").status_code == 201
    assert tenant_a.patch("/settings/attachments",
                          {"allowed_types": ["nonsense"]}).status_code == 422
    assert tenant_a.patch("/settings/attachments", {"max_files": 0}).status_code == 422
    agent, _ = add_staff(tenant_a, client)
    assert agent.patch("/settings/attachments", {"max_files": 3}).status_code == 403


def test_refused_file_leaves_reply_unsent_and_text_reusable(desk, app):  # noqa: F811
    from app.tickets.settings import update_settings

    update_settings(actor=desk.admin, section="attachments", values={"max_file_bytes": 100})
    ticket = desk.ticket()
    before = db.session.scalar(select(func.count()).select_from(Message))
    with pytest.raises(TooLarge) as exc:
        service.reply(actor=desk.admin, ticket=ticket, body="my long careful answer",
                      attachments=[NewFile("photo.png", PNG + b"\x00" * 200)])
    assert "100 bytes" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        service.add_note(actor=desk.admin, ticket=ticket, body="note",
                         attachments=[NewFile("x.exe", EXE)])
    assert db.session.scalar(select(func.count()).select_from(Message)) == before
    assert ticket.version == 1 and ticket.first_response_at is None
    message = service.reply(actor=desk.admin, ticket=ticket, body="my long careful answer",
                            attachments=[NewFile("photo.png", PNG)])
    assert message.body_text == "my long careful answer"


def test_too_many_files(desk):  # noqa: F811
    ticket = desk.ticket()
    with pytest.raises(ValidationFailed) as exc:
        service.reply(actor=desk.admin, ticket=ticket, body="files",
                      attachments=[NewFile(f"{i}.png", PNG) for i in range(11)])
    assert "attachments" in exc.value.fields


def test_others_uploads_cannot_be_claimed_or_read(tenant_a, tenant_b, client):
    mine = upload(tenant_a, PNG, "mine.png").get_json()["id"]
    colleague, _ = add_staff(tenant_a, client)
    assert colleague.get(f"/attachments/{mine}").status_code == 404  # not on a ticket yet
    new_ticket(tenant_b)
    stolen = tenant_b.post("/tickets/1/messages", {"body": "x", "attachment_ids": [mine]})
    assert stolen.status_code == 422
    assert tenant_b.get(f"/attachments/{mine}/download").status_code == 404


def test_web_download_for_logged_in_staff(tenant_a, client):
    from tests.conftest import STRONG_PASSWORD

    new_ticket(tenant_a)
    file_id = upload(tenant_a, PDF, "invoice.pdf").get_json()["id"]
    tenant_a.post("/tickets/1/messages", {"body": "x", "attachment_ids": [file_id]})
    assert client.get(f"/attachments/{file_id}").status_code in (302, 401)
    slug = tenant_a.get("/tenant").get_json()["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    response = client.get(f"/attachments/{file_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"] == 'attachment; filename=invoice.pdf'


def test_safe_filenames_and_sizes():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\report.pdf") == "report.pdf"
    assert safe_filename('a"b\r\nc;d.txt') == "a_b__c_d.txt"
    assert safe_filename("...") == "attachment"
    assert safe_filename("отчёт.pdf") == "отчёт.pdf"
    assert len(safe_filename("x" * 300 + ".pdf")) <= 200
    assert (human_size(20 * 1024 * 1024), human_size(1536), human_size(10)) == \
        ("20 MB", "1.5 KB", "10 bytes")


def test_local_storage_refuses_odd_keys(tmp_path):
    storage = LocalStorage(tmp_path)
    with pytest.raises(StorageError):
        storage.put("../escape", b"x", "text/plain")
    with pytest.raises(StorageError):
        storage.get("1/" + "0" * 32)


def test_s3_backend_against_local_s3_server(app, tenant_a):
    with s3_server() as endpoint:
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test") \
            .create_bucket(Bucket="helpdesk-files")
        storage = S3Storage(bucket="helpdesk-files", endpoint_url=endpoint,
                            region="us-east-1", access_key="test", secret_key="test")
        key = "7/" + "a" * 32
        storage.put(key, PDF, "application/pdf")
        assert storage.get(key) == PDF
        storage.delete(key)
        with pytest.raises(StorageError):
            storage.get(key)
        # The whole flow, with the app storing into S3.
        app.extensions["attachment_storage"] = storage
        new_ticket(tenant_a)
        file_id = upload(tenant_a, PNG, "s3.png").get_json()["id"]
        tenant_a.post("/tickets/1/messages", {"body": "x", "attachment_ids": [file_id]})
        assert tenant_a.get(f"/attachments/{file_id}/download").data == PNG
        listed = storage.client.list_objects_v2(Bucket="helpdesk-files")["Contents"]
        assert len(listed) == 1 and listed[0]["Key"].startswith("attachments/")
