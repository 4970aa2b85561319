"""The ticket desk on the embedded default (SQLite): numbering with ON CONFLICT … RETURNING,
FTS5 search, tag filter through json_each, attachments on local disk."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent('''
    import io
    from flask_migrate import upgrade
    from app import create_app

    app = create_app({"WTF_CSRF_ENABLED": False})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    with app.app_context():
        upgrade(revision="heads")
    client = app.test_client()
    body = client.post("/api/v1/signup", json={
        "company_name": "Lite", "slug": "lite-co", "admin_name": "Lee",
        "admin_email": "lee@lite.example", "password": "Lite-test-pass-1"}).get_json()
    auth = {"Authorization": "Bearer " + body["token"]}

    def post(path, payload):
        response = client.post("/api/v1" + path, json=payload, headers=auth)
        assert response.status_code in (200, 201), (path, response.get_json())
        return response.get_json()

    for subject, tags in (("Printer jammed again", ["hardware"]),
                          ("Счёт не пришёл", ["billing"]), ("Password reset", [])):
        post("/tickets", {"subject": subject, "body": "details here", "tags": tags,
                          "requester": {"email": "c@client.example"}})
    numbers = [t["number"] for t in client.get("/api/v1/tickets", headers=auth)
               .get_json()["items"]]
    assert numbers == [3, 2, 1], numbers

    def found(query):
        return [t["number"] for t in client.get("/api/v1/tickets?" + query, headers=auth)
                .get_json()["items"]]

    assert found("q=printer") == [1], found("q=printer")
    assert found("q=счёт") == [2], found("q=счёт")
    assert found("q=passw") == [3]  # the last word matches as a prefix while typing
    assert found("q=nothing-like-this") == []
    assert found("tag=billing") == [2]
    post("/tickets/3/messages", {"body": "Try the recovery link"})
    assert found("q=recovery") == [3]
    png = bytes.fromhex("89504e470d0a1a0a0000000d494844520000000100000001080600000"
                        "01f15c4890000000a49444154789c6300010000050001"
                        "0d0a2db40000000049454e44ae426082")
    upload = client.post("/api/v1/attachments", headers=auth, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(png), "a.png")})
    assert upload.status_code == 201, upload.get_json()
    post("/tickets/1/messages", {"body": "file", "attachment_ids": [upload.get_json()["id"]]})
    download = client.get(f"/api/v1/attachments/{upload.get_json()['id']}/download",
                          headers=auth)
    assert download.data == png
    post("/tickets/2/merge", {"into": 1})
    merged = client.get("/api/v1/tickets/2", headers=auth).get_json()
    assert merged["merged_into"] == 1 and found("q=счёт") == [2]  # still found, points on
    print("tickets on sqlite ok")
''')


@pytest.mark.embedded
@pytest.mark.real_commits
def test_tickets_on_sqlite(tmp_path):
    script = tmp_path / "tickets_sqlite.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "tickets on sqlite ok" in result.stdout
