"""Gmail's batch endpoint with the wire format written and read here.

``googleapiclient``'s ``BatchHttpRequest`` builds each part, and the whole body, with the
email package's MIME generator, and reads the answer with its feed parser: for a batch of
fifty ``messages.get`` that cost more of a worker's time than parsing the fifty letters.
``Batch`` keeps the library's batch (its per-part credentials, its second round for parts
answered 401, its callbacks) and writes the same text as the library, by hand: a
``multipart/mixed`` body of ``application/http`` parts, each an HTTP request; the answer is
split on its boundary, each part read as an HTTP response.
"""
import re
import urllib.parse
import uuid

import httplib2
from googleapiclient import _auth
from googleapiclient.errors import BatchError, HttpError
from googleapiclient.http import BatchHttpRequest

_BOUNDARY = re.compile(r'boundary\s*=\s*"?([^";]+)"?', re.IGNORECASE)
_BLANK_LINE = re.compile(r"\r?\n\r?\n")


def request_text(request) -> str:
    """One request as an ``application/http`` part's body (what the library writes)."""
    parsed = urllib.parse.urlsplit(request.uri)
    target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    headers = dict(request.headers)
    if request.http is not None:
        credentials = _auth.get_credentials_from_http(request.http)
        if credentials is not None:
            _auth.apply_credentials(credentials, headers)
    kind = headers.pop("content-type", "application/json")
    lines = [f"{request.method} {target} HTTP/1.1", f"Content-Type: {kind}",
             "MIME-Version: 1.0", *[f"{key}: {value}" for key, value in headers.items()],
             f"Host: {parsed.netloc}"]
    if request.body is not None:
        body = request.body if isinstance(request.body, str) else request.body.decode()
        lines.append(f"content-length: {len(request.body)}")
        return "\n".join(lines) + "\n\n" + body
    return "\n".join(lines) + "\n\n"


def _headers(block: str) -> dict[str, str]:
    out = {}
    for line in block.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            out[name.strip().lower()] = value.strip()
    return out


def read_response(payload: str) -> tuple[httplib2.Response, str]:
    """An ``application/http`` part's HTTP response: (response, content)."""
    status_line, _newline, rest = payload.partition("\n")
    protocol, status, reason = (status_line.strip().split(" ", 2) + ["", ""])[:3]
    split = _BLANK_LINE.search(rest)
    head, content = (rest[:split.start()], rest[split.end():]) if split else (rest, "")
    info = _headers(head)
    info["status"] = status
    response = httplib2.Response(info)
    response.reason = reason
    try:
        response.version = int(protocol.split("/", 1)[1].replace(".", ""))
    except (IndexError, ValueError):
        response.version = 11
    return response, content


def split_parts(content_type: str, content: str) -> list[tuple[str, str]]:
    """(Content-ID, body) of each part of a ``multipart/mixed`` answer."""
    found = _BOUNDARY.search(content_type or "")
    if found is None:
        raise BatchError("Response not in multipart/mixed format.")
    delimiter = "--" + found.group(1)
    parts = []
    for chunk in content.split(delimiter)[1:]:
        if chunk.startswith("--"):
            break  # the closing delimiter
        chunk = chunk[2:] if chunk.startswith("\r\n") else chunk.removeprefix("\n")
        # The line break before the next delimiter belongs to the delimiter.
        chunk = chunk[:-2] if chunk.endswith("\r\n") else chunk.removesuffix("\n")
        split = _BLANK_LINE.search(chunk)
        if split is None:
            continue
        content_id = _headers(chunk[:split.start()]).get("content-id", "")
        parts.append((content_id, chunk[split.end():]))
    return parts


class Batch(BatchHttpRequest):
    """``BatchHttpRequest`` whose one round trip writes and reads the wire text by hand."""

    def _execute(self, http, order, requests):
        boundary = "===============" + uuid.uuid4().hex + "=="
        parts = [f"--{boundary}\nContent-Type: application/http\nMIME-Version: 1.0\n"
                 f"Content-Transfer-Encoding: binary\n"
                 f"Content-ID: {self._id_to_header(request_id)}\n\n"
                 f"{request_text(requests[request_id])}\n"
                 for request_id in order]
        body = "".join(parts) + f"--{boundary}--\n"
        headers = {"content-type": f'multipart/mixed; boundary="{boundary}"'}
        response, content = http.request(self._batch_uri, method="POST", body=body,
                                         headers=headers)
        if response.status >= 300:
            raise HttpError(response, content, uri=self._batch_uri)
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        for content_id, payload in split_parts(response.get("content-type", ""), text):
            answer, answer_content = read_response(payload)
            self._responses[self._header_to_id(content_id)] = (
                answer, answer_content.encode("utf-8"))
