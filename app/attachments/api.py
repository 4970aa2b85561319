"""API: upload a file (then reference it from a message), read and download attachments."""
from flask import current_app, request
from flask_babel import gettext as _
from pydantic import BaseModel

from app.api.core import endpoint
from app.attachments import service
from app.attachments.responses import attachment_json, file_response
from app.errors import TooLarge, ValidationFailed
from app.tickets.settings import get_settings


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    url: str
    ticket_number: int | None = None


def _uploaded_file() -> service.NewFile:
    limit = int(get_settings("attachments")["max_file_bytes"])
    # Refuse before reading the body, with the tenant's own limit in the message
    # (the multipart overhead gets a little room).
    if request.content_length and request.content_length > limit + 64 * 1024:
        raise TooLarge(_("The file is larger than the limit of %(limit)s per file.",
                         limit=service.human_size(limit)),
                       fields={"file": _("At most %(limit)s.", limit=service.human_size(limit))})
    if request.content_length and request.content_length > current_app.config.get(
            "MAX_CONTENT_LENGTH", limit):
        raise TooLarge()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(fields={"file": _("Send the file as multipart field “file”.")})
    return service.NewFile(filename=upload.filename, data=upload.read())


@endpoint("/attachments", "POST",
          summary="Upload a file (multipart field 'file'); send its id in attachment_ids",
          tag="attachments", response=AttachmentOut, status=201, errors=(413, 422))
def upload_attachment(staff):
    attachment = service.upload(actor=staff, file=_uploaded_file())
    return attachment_json(attachment), 201


@endpoint("/attachments/<int:attachment_id>", "GET", summary="An attachment's details",
          tag="attachments", response=AttachmentOut, errors=(404,))
def get_attachment(staff, attachment_id: int):
    return attachment_json(service.get_attachment(staff, attachment_id))


@endpoint("/attachments/<int:attachment_id>/download", "GET",
          summary="Download the file (Content-Disposition: attachment)", tag="attachments",
          errors=(404,))
def download_attachment(staff, attachment_id: int):
    return file_response(service.get_attachment(staff, attachment_id))
