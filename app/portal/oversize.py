"""The text of a form that was too large to accept, so the page can give it back.

A reply whose files exceed the request limit (``MAX_CONTENT_LENGTH``) is refused before
the form is parsed, and the typed text with it. Browsers send a form's fields in page
order and the portal's reply form puts its text before its file input, so the text can be
read from the start of the body, stopping at the first file — without reading the files.
"""
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from werkzeug.wsgi import get_input_stream

READ_AT_MOST = 1024 * 1024  # bytes read to find the text (a body of 200,000 characters fits)
CHUNK = 16 * 1024


def _decoder():
    mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
    boundary = options.get("boundary")
    if mimetype != "multipart/form-data" or not boundary:
        return None
    return MultipartDecoder(boundary.encode("latin-1"), max_form_memory_size=READ_AT_MOST)


def text_fields_before_files() -> dict[str, str]:
    """The fields that come before the first file of the request's multipart body."""
    decoder = _decoder()
    if decoder is None:
        return {}
    stream = get_input_stream(request.environ, max_content_length=None)
    fields: dict[str, str] = {}
    name, value, read = None, bytearray(), 0
    try:
        while read < READ_AT_MOST:
            chunk = stream.read(CHUNK)
            read += len(chunk)
            decoder.receive_data(chunk or None)
            event = decoder.next_event()
            while not isinstance(event, NeedData):
                if isinstance(event, File | Epilogue):
                    return fields
                if isinstance(event, Field):
                    name, value = event.name, bytearray()
                elif isinstance(event, Data) and name is not None:
                    value += event.data
                    if not event.more_data:
                        fields[name] = value.decode("utf-8", "replace")
                        name = None
                event = decoder.next_event()
            if not chunk:
                break
    except (RequestEntityTooLarge, ValueError):
        pass  # a text longer than any field may be, or a malformed body: what was read
    return fields
