"""Pages: internal mail — my conversations, a conversation with its reply box, a new one.
The service decides who may see what (a conversation of others is the 404 page)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.api.pagination import decode_cursor, encode_cursor
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.internal_mail import inbox, service
from app.staff.models import Staff
from app.ui import apply_form_errors, staff_page
from billing.gates import addon_page

bp = Blueprint("internal_mail", __name__, url_prefix="/app/internal")
PAGE = 30


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _numbers(raw: str | None) -> list[int]:
    """Ticket numbers typed as "12, #15 16"; anything else is named as the field's error."""
    numbers = []
    for word in (raw or "").replace(",", " ").split():
        word = word.lstrip("#")
        if not word.isdigit() or len(word) > 18:
            raise ValidationFailed(fields={"tickets": _("Enter ticket numbers, like 12, 15.")})
        numbers.append(int(word))
    return numbers


class ConversationForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[Length(max=service.MAX_SUBJECT)])
    participants = Checkboxes(_l("Colleagues"), coerce=int, validate_choice=False)
    tickets = StringField(_l("About tickets"), validators=[Length(max=400)],
                          description=_l("Numbers, separated by commas (optional)."))
    body = TextAreaField(_l("Message"), validators=[Length(max=service.MAX_BODY)],
                         render_kw={"rows": 8})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants.choices = [
            (person.id, person.name) for person in db.session.scalars(
                select(Staff).where(Staff.active.is_(True), Staff.id != current_user.id)
                .order_by(Staff.name))]


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[Length(max=service.MAX_BODY)],
                         render_kw={"rows": 5})
    tickets = StringField(_l("Link tickets"), validators=[Length(max=400)],
                          description=_l("Numbers, separated by commas (optional)."))


@bp.get("/")
@staff_page()
@addon_page(service.ADDON)
def index():
    raw = request.args.get("cursor", "")[:64]
    before = decode_cursor(raw) if raw else None
    page, more = inbox.conversations_of(actor=current_user, before=before, limit=PAGE)
    people = {p.id: p.name for p in db.session.scalars(select(Staff))}
    return render_template("internal_mail/index.html", conversations=page, people=people,
                           next_cursor=encode_cursor(more) if more else None)


@bp.route("/new", methods=["GET", "POST"])
@staff_page()
@addon_page(service.ADDON)
def new():
    form = ConversationForm()
    if request.method == "GET" and request.args.get("ticket", "").isdigit():
        form.tickets.data = request.args["ticket"][:18]
    if form.validate_on_submit():
        try:
            conversation = service.start_conversation(
                actor=current_user, subject=form.subject.data, body=form.body.data,
                participant_ids=form.participants.data or [],
                ticket_numbers=_numbers(form.tickets.data))
            flash(_("Conversation started."), "success")
            return redirect(url_for(".conversation", conversation_id=conversation.id))
        except ServiceError as exc:
            apply_form_errors(form, exc)
    return render_template("internal_mail/new.html", form=form)


@bp.route("/<int:conversation_id>", methods=["GET", "POST"])
@staff_page()
def conversation(conversation_id: int):
    form = ReplyForm()
    if request.method == "POST":
        service.read_conversation(actor=current_user, conversation_id=conversation_id)
        if form.validate_on_submit():
            try:
                service.post_message(actor=current_user, conversation_id=conversation_id,
                                     body=form.body.data,
                                     ticket_numbers=_numbers(form.tickets.data))
                return redirect(url_for(".conversation", conversation_id=conversation_id))
            except ServiceError as exc:
                apply_form_errors(form, exc)
    thread = service.read_conversation(actor=current_user, conversation_id=conversation_id)
    return render_template("internal_mail/conversation.html", thread=thread, form=form)
