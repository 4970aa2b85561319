"""Pages: "show original" of an imported letter — its headers and the letter in a sandboxed
frame — the frame's document, and the .eml download; and the API's .eml download."""
from flask import Blueprint, Response, render_template
from flask_login import current_user

from app import security
from app.api.core import endpoint
from app.attachments.service import human_size
from app.mailbox import original, original_letter
from app.ui import staff_page

bp = Blueprint("gmail_original", __name__)
PAGE = "/app/tickets/<int:number>/messages/<int:message_id>/original"


def eml_response(kept, message_id: int) -> Response:
    """The letter as it came, as a download that is never rendered."""
    response = Response(original.letter_bytes(kept), mimetype="message/rfc822")
    response.headers.set("Content-Disposition", "attachment",
                         filename=f"message-{message_id}.eml")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


@bp.get(PAGE)
@staff_page()
def show(number: int, message_id: int):
    ticket, kept = original.find(current_user, number, message_id)
    return render_template("mailbox/original.html", ticket=ticket, message_id=message_id,
                           shown=original_letter.shown(kept),
                           size=human_size(kept.size), cap=human_size(original.cap()))


@bp.get(PAGE + "/letter")
@staff_page()
@security.relax(frame_ancestors="'self'")  # framed by the page above only
def letter(number: int, message_id: int):
    _ticket, kept = original.find(current_user, number, message_id)
    document = original_letter.document(original.letter_bytes(kept),
                                        headers_only=kept.headers_only)
    response = Response(document, mimetype="text/html")
    response.headers["Content-Security-Policy"] = original_letter.LETTER_CSP
    response.headers["Cache-Control"] = "private, max-age=0"
    return response


@bp.get(PAGE + ".eml")
@staff_page()
def download(number: int, message_id: int):
    _ticket, kept = original.find(current_user, number, message_id)
    return eml_response(kept, message_id)


@endpoint("/tickets/<int:number>/messages/<int:message_id>/original", "GET",
          summary="An imported message's original letter (message/rfc822, as a download)",
          tag="tickets", errors=(404,))
def original_eml(staff, number: int, message_id: int):
    _ticket, kept = original.find(staff, number, message_id)
    return eml_response(kept, message_id)
