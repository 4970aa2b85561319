"""Attachment downloads for logged-in staff (the ticket page links here)."""
from flask import Blueprint
from flask_login import current_user

from app.attachments import service
from app.attachments.responses import file_response
from app.ui import staff_page

bp = Blueprint("attachments", __name__)


@bp.get("/attachments/<int:attachment_id>")
@staff_page()
def download(attachment_id: int):
    return file_response(service.get_attachment(current_user, attachment_id))
