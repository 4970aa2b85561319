"""The batch endpoint's wire text, written and read by hand (``integrations.gmail.batch``):
the same request text as google-api-python-client's own batch, and answers read whatever
line breaks they use."""
import re

import httplib2
import pytest
from googleapiclient.discovery import build
from googleapiclient.errors import BatchError
from googleapiclient.http import BatchHttpRequest

from integrations.gmail.batch import Batch, read_response, split_parts


class _Capture:
    """An ``http`` that keeps the batch request it is given and answers nothing."""

    def request(self, uri, method, body, headers):
        self.body, self.headers = body, headers
        raise _Sent


class _Sent(Exception):
    pass


def _written(batch_class) -> str:
    service = build("gmail", "v1", http=httplib2.Http(), static_discovery=True,
                    cache_discovery=False, client_options={"api_endpoint": "http://fake:9"})
    messages = service.users().messages()
    batch = batch_class(batch_uri="http://fake:9/batch/gmail/v1")
    for gmail_id in ("m1", "m/2"):
        batch.add(messages.get(userId="me", id=gmail_id, format="raw"), request_id=gmail_id)
    batch.add(messages.modify(userId="me", id="m3", body={"addLabelIds": ["L"]}),
              request_id="m3")
    http = _Capture()
    with pytest.raises(_Sent):
        batch._execute(http, batch._order, batch._requests)
    boundary = re.search(r'boundary="([^"]+)"', http.headers["content-type"]).group(1)
    text = http.body.replace(boundary, "BOUNDARY")
    return re.sub(r"<[0-9a-f-]+ \+ ", "<ID + ", text)  # the batch's random Content-ID base


def test_the_request_text_is_the_librarys():
    assert _written(Batch) == _written(BatchHttpRequest)
    assert 'GET /gmail/v1/users/me/messages/m1?format=raw&alt=json HTTP/1.1' in _written(Batch)


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_answers_are_split_into_their_parts(newline):
    body = newline.join([
        "--b1", "Content-Type: application/http", "Content-ID: <response-x + m1>", "",
        "HTTP/1.1 200 OK", "Content-Type: application/json; charset=UTF-8", "",
        '{"id": "m1"}',
        "--b1", "Content-Type: application/http", "Content-ID: <response-x + m2>", "",
        "HTTP/1.1 404 Not Found", "Content-Type: application/json", "",
        '{"error": {"code": 404}}',
        "--b1--", ""])
    parts = split_parts('multipart/mixed; boundary="b1"', body)
    assert [content_id for content_id, _payload in parts] == ["<response-x + m1>",
                                                              "<response-x + m2>"]
    found, content = read_response(parts[0][1])
    assert (found.status, content) == (200, '{"id": "m1"}')
    assert found["content-type"] == "application/json; charset=UTF-8"
    missing, content = read_response(parts[1][1])
    assert (missing.status, missing.reason, content) == (404, "Not Found",
                                                          '{"error": {"code": 404}}')


def test_an_answer_without_a_boundary_is_refused():
    with pytest.raises(BatchError):
        split_parts("application/json", "{}")
