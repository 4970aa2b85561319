"""Serving a stored file: always as a download, with a safe name and no sniffing."""
from flask import Response, url_for

from app.attachments import service


def file_response(attachment) -> Response:
    """The file as an attachment: the browser saves it and never renders it inline, so an
    uploaded HTML or SVG can't run in our origin."""
    data = service.read(attachment)
    response = Response(data, mimetype=attachment.content_type)
    response.headers.set("Content-Disposition", "attachment",
                         filename=service.safe_filename(attachment.filename))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


def attachment_json(attachment) -> dict:
    return {"id": attachment.id, "filename": attachment.filename,
            "content_type": attachment.content_type, "size": attachment.size,
            "url": url_for("api.app_attachments_api__download_attachment",
                           attachment_id=attachment.id)}
