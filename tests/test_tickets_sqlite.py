"""The ticket desk on the embedded default (SQLite): numbering with ON CONFLICT … RETURNING,
FTS5 search, tag filter through json_each, attachments on local disk."""
import textwrap

import pytest

from tests.sqlite_support import prelude, run_on_sqlite

SCRIPT = prelude(company="Lite", slug="lite-co", imports="import io\n") + textwrap.dedent('''
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
    assert "tickets on sqlite ok" in run_on_sqlite(tmp_path, SCRIPT)
