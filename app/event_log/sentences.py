"""One sentence per recorded action: ``SENTENCES[action](event, names, who) -> str``.

A new ``record_event(…, "area.thing", …)`` needs an entry here; tests/test_event_sentences.py
reads the source and fails for an action without one.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.event_log.names import Names
from app.event_log.phrasing import (
    amount,
    changes,
    data_of,
    number,
    object_name,
    plan_label,
    value_text,
)
from app.events.models import Event
from app.formatting import local_date, local_datetime
from app.staff.roles import ACCESS_LABELS


def _say(message, **values):
    """A sentence from a lazy message and the values every builder computes."""
    return lambda e, n, who: str(message) % (
        {key: value(e, n) for key, value in values.items()} | {"who": who})


def _field(key: str, kind: str = ""):
    """A value from the event's data, as a name/label when ``kind`` says what it is."""
    return lambda e, n: value_text(kind, data_of(e).get(key), n)


def _name(kind: str, *keys: str):
    return lambda e, n: object_name(e, n, kind, *keys)


def _from_to(message, key: str = ""):
    """A ticket's value changed: ``%(number)s``, ``%(before)s`` and ``%(after)s``."""
    return _say(message, number=number, before=_field("before", key),
                after=_field("after", key))


def _transferred(e: Event, n: Names, who: str) -> str:
    after = data_of(e).get("after") or {}
    target = n.name("department", after.get("department_id"))
    if after.get("assignee_id"):
        target = f"{target} ({n.name('staff', after['assignee_id'])})"
    return _("%(who)s transferred ticket #%(number)s to %(target)s", who=who,
             number=number(e, n), target=target)


def _assigned(e: Event, n: Names, who: str) -> str:
    data = data_of(e)
    if not data.get("after"):
        return _("%(who)s unassigned ticket #%(number)s", who=who, number=number(e, n))
    return _("%(who)s assigned ticket #%(number)s to %(assignee)s", who=who,
             number=number(e, n),
             assignee=n.name("staff", data["after"], fallback=data.get("assignee_name")))


def _access(e: Event, n: Names, who: str) -> str:
    after = data_of(e).get("after") or {}
    grants = ", ".join(f"{n.name('department', department)} — "
                       f"{ACCESS_LABELS.get(level, level)}"
                       for department, level in sorted(after.items(), key=lambda kv: str(kv)))
    return _("%(who)s changed the access of %(name)s: %(access)s", who=who,
             name=n.name("staff", e.object_id), access=grants or _("no departments"))


def _credited(e: Event, n: Names, who: str) -> str:
    if data_of(e).get("kind") == "trial_credit":
        return _("Trial credit of %(amount)s added to the balance", amount=amount(e, n))
    return _("Top-up of %(amount)s added to the balance", amount=amount(e, n))


def _plan_changed(e: Event, n: Names, who: str) -> str:
    data = data_of(e)
    values = {"who": who, "old": plan_label(data.get("from")), "new": plan_label(data.get("to"))}
    if data.get("scheduled"):
        return _("The plan changed from %(old)s to %(new)s as scheduled", **values)
    if data.get("charged"):
        return _("%(who)s changed the plan from %(old)s to %(new)s; %(amount)s was charged "
                 "for today", amount=amount(e, n, "charged"), **values)
    return _("%(who)s changed the plan from %(old)s to %(new)s", **values)


def _to(e: Event, n: Names) -> str:
    to = data_of(e).get("to") or []
    return ", ".join(to) if isinstance(to, list) else str(to)


def _widget_changed(e: Event, n: Names, who: str) -> str:
    labels = {"allowed_origins": _("allowed sites"), "fields": _("form fields"),
              "department_ids": _("departments offered"), "colors": _("colour"),
              "texts": _("words"), "language": _("language")}
    what = ", ".join(str(labels.get(key, key)) for key in data_of(e).get("changes") or {})
    return _("%(who)s changed the widget: %(what)s", who=who, what=what or "—")


def _widget_secret(e: Event, n: Names, who: str) -> str:
    if data_of(e).get("enabled"):
        return _("%(who)s made a new identity-verification secret for the widget", who=who)
    return _("%(who)s turned the widget's identity verification off", who=who)


def _settings(e: Event, n: Names, who: str) -> str:
    if e.object_id == "attachments":
        return _("%(who)s changed the attachment rules", who=who)
    return _("%(who)s changed the help desk settings", who=who)


def _routing_updated(e: Event, n: Names, who: str) -> str:
    name = object_name(e, n, "routing_rule", "name")
    if data_of(e).get("reason") == "organization deleted":
        return _("Routing rule “%(name)s” changed because an organization it used was "
                 "deleted", name=name)
    return _("%(who)s changed routing rule “%(name)s”: %(changes)s", who=who, name=name,
             changes=changes(e, n))


def _token_created(e: Event, n: Names, who: str) -> str:
    data = data_of(e)
    if data.get("staff_id") in (None, e.actor_id):
        return _("%(who)s created API token “%(name)s”", who=who, name=data.get("name", ""))
    return _("%(who)s created API token “%(name)s” for %(staff)s", who=who,
             name=data.get("name", ""), staff=n.name("staff", data["staff_id"]))


def _custom_field(e: Event, n: Names) -> str:
    """The field's label as stored or as it is now; its key once the field is gone."""
    found = object_name(e, n, "custom_field", "label")
    return data_of(e).get("key") or found if found.startswith("#") else found


def _staff_name(e: Event, n: Names) -> str:
    return object_name(e, n, "staff", "name")


def _login_failed(e: Event, n: Names, who: str) -> str:
    return _("Failed sign-in as %(email)s", email=data_of(e).get("email") or who)


def _signed_out_everywhere(e: Event, n: Names, who: str) -> str:
    if data_of(e).get("kept_current"):
        return _("%(who)s signed out of all other sessions", who=who)
    if str(e.actor_id) == e.object_id:
        return _("%(who)s signed out everywhere", who=who)
    return _("%(who)s signed %(name)s out everywhere", who=who, name=_staff_name(e, n))


def _rated(e: Event, n: Names, who: str) -> str:
    data = data_of(e)
    if data.get("before"):
        return _("%(who)s changed the rating of ticket #%(number)s from %(before)s to "
                 "%(score)s out of 5", who=who, number=number(e, n), before=data["before"],
                 score=data.get("score"))
    return _("%(who)s rated ticket #%(number)s: %(score)s out of 5", who=who,
             number=number(e, n), score=data.get("score"))


SENTENCES = {
    # Tickets
    "ticket.created": _say(_l("%(who)s created ticket #%(number)s: %(subject)s"),
                           number=number, subject=_field("subject")),
    "ticket.status_changed": _from_to(
        _l("%(who)s changed the status of ticket #%(number)s from %(before)s to %(after)s"),
        "status"),
    "ticket.priority_changed": _from_to(
        _l("%(who)s changed the priority of ticket #%(number)s from %(before)s to %(after)s"),
        "priority"),
    "ticket.type_changed": _from_to(
        _l("%(who)s changed the type of ticket #%(number)s from %(before)s to %(after)s"),
        "type"),
    "ticket.subject_changed": _from_to(
        _l("%(who)s changed the subject of ticket #%(number)s from “%(before)s” to "
           "“%(after)s”")),
    "ticket.tags_changed": _from_to(
        _l("%(who)s changed the tags of ticket #%(number)s from %(before)s to %(after)s")),
    "ticket.fields_changed": _say(
        _l("%(who)s changed the fields of ticket #%(number)s: %(changes)s"),
        number=number, changes=lambda e, n: changes(e, n, labels=n.field_labels)),
    "ticket.assigned": _assigned,
    "ticket.transferred": _transferred,
    "ticket.escalated": _say(_l("%(who)s escalated ticket #%(number)s to support line "
                                "%(line)s"), number=number, line=_field("after")),
    "ticket.noted": _say(_l("%(who)s added an internal note to ticket #%(number)s"),
                         number=number),
    "ticket.replied": _say(_l("%(who)s replied to ticket #%(number)s"), number=number),
    "ticket.customer_replied": _say(_l("%(who)s wrote in ticket #%(number)s"), number=number),
    "ticket.rated": _rated,
    "portal.link_sent": _say(_l("A link to the customer portal was sent to %(email)s"),
                             email=_field("email")),
    "ticket.trashed": _say(_l("%(who)s moved ticket #%(number)s to the trash"), number=number),
    "ticket.restored": _say(_l("%(who)s restored ticket #%(number)s from the trash"),
                            number=number),
    "ticket.archived": _say(_l("%(who)s archived ticket #%(number)s"), number=number),
    "ticket.unarchived": _say(_l("%(who)s took ticket #%(number)s out of the archive"),
                              number=number),
    "ticket.archived_closed": lambda e, n, who: ngettext(
        "%(num)d closed ticket moved to the archive",
        "%(num)d closed tickets moved to the archive", int(data_of(e).get("count") or 0)),
    "ticket.merged": _say(_l("%(who)s merged ticket #%(number)s into #%(other)s"),
                          number=number, other=_field("into")),
    "ticket.merged_in": _say(_l("%(who)s merged ticket #%(other)s into #%(number)s"),
                             number=number, other=_field("from")),
    "ticket.linked": _say(_l("%(who)s linked ticket #%(number)s with #%(other)s"),
                          number=number, other=_field("other")),
    "ticket.unlinked": _say(_l("%(who)s unlinked ticket #%(number)s from #%(other)s"),
                            number=number, other=_field("other")),
    "ticket.released": _say(_l("Ticket #%(number)s left the waiting list for the inbox"),
                            number=number),
    "ticket.sla_breached": _say(_l("Ticket #%(number)s missed its SLA target"),
                                number=number),
    "ticket.held_as_spam": _say(_l("Ticket #%(number)s was held as spam (stop list: "
                                   "%(entry)s)"), number=number, entry=_field("entry")),
    "ticket.not_spam": _say(_l("%(who)s moved ticket #%(number)s from spam to the inbox"),
                            number=number),
    # People, sign-in and tokens
    "staff.created": _say(_l("%(who)s added %(name)s as %(role)s"), name=_staff_name,
                          role=_field("role", "role")),
    "staff.updated": _say(_l("%(who)s changed %(name)s: %(changes)s"), name=_staff_name,
                          changes=changes),
    "staff.password_changed": _say(_l("%(who)s changed the password of %(name)s"),
                                   name=_staff_name),
    "staff.deactivated": _say(_l("%(who)s deactivated %(name)s (kept for the ticket history)"),
                              name=_staff_name),
    "staff.deleted": _say(_l("%(who)s removed %(name)s"), name=_staff_name),
    "staff.access_changed": _access,
    "staff.invited": _say(_l("%(who)s invited %(name)s (%(email)s)"), name=_staff_name,
                          email=_field("email")),
    "staff.invitation_accepted": _say(_l("%(who)s accepted the invitation")),
    "token.created": _token_created,
    "token.revoked": _say(_l("%(who)s revoked API token “%(name)s”"), name=_field("name")),
    "login.succeeded": _say(_l("%(who)s signed in")),
    "login.failed": _login_failed,
    "login.throttled": _say(_l("Sign-in as %(email)s held back after repeated wrong "
                               "passwords"), email=_field("email")),
    "session.ended": _say(_l("%(who)s signed out")),
    "session.ended_all": _signed_out_everywhere,
    "password.reset_requested": _say(_l("A password reset link was sent to %(email)s"),
                                     email=_field("email")),
    "password.reset_completed": _say(_l("%(who)s set a new password through a reset link")),
    "login.blocked": _say(_l("Sign-in as %(email)s refused: the account is locked"),
                          email=_field("email")),
    "login.locked": _say(_l("The account of %(name)s is locked until %(until)s after wrong "
                            "passwords"), name=_staff_name,
                         until=lambda e, n: local_datetime(data_of(e).get("until"))),
    # Departments, customers, organizations, files
    "department.created": _say(_l("%(who)s created department “%(name)s”"),
                               name=_name("department", "name")),
    "department.updated": _say(_l("%(who)s changed department “%(name)s”: %(changes)s"),
                               name=_name("department", "name"), changes=changes),
    "department.deleted": _say(_l("%(who)s deleted department “%(name)s”"),
                               name=_name("department", "name")),
    "customer.registered": _say(_l("New customer %(email)s"), email=_field("email")),
    "customer.created": _say(_l("%(who)s added customer %(email)s"), email=_field("email")),
    "customer.updated": _say(_l("%(who)s changed customer %(email)s: %(changes)s"),
                             email=_name("customer", "email"), changes=changes),
    "organization.created": _say(_l("%(who)s created organization “%(name)s”"),
                                 name=_name("organization", "name")),
    "organization.updated": _say(_l("%(who)s changed organization “%(name)s”: %(changes)s"),
                                 name=_name("organization", "name"), changes=changes),
    "organization.deleted": _say(_l("%(who)s deleted organization “%(name)s”"),
                                 name=_name("organization", "name")),
    "attachment.uploaded": _say(_l("%(who)s uploaded the file “%(name)s”"),
                                name=_field("filename")),
    # Desk settings, custom fields, routing, templates, SLA, company
    "settings.updated": _settings,
    "custom_field.created": _say(_l("%(who)s added the custom field “%(name)s”"),
                                 name=_custom_field),
    "custom_field.updated": _say(_l("%(who)s changed the custom field “%(name)s”: "
                                    "%(changes)s"),
                                 name=_custom_field, changes=changes),
    "custom_field.deleted": _say(_l("%(who)s deleted the custom field “%(name)s”"),
                                 name=_custom_field),
    "routing_rule.created": _say(_l("%(who)s created routing rule “%(name)s”"),
                                 name=_name("routing_rule", "name")),
    "routing_rule.updated": _routing_updated,
    "routing_rule.enabled": _say(_l("%(who)s turned on routing rule “%(name)s”"),
                                 name=_name("routing_rule", "name")),
    "routing_rule.disabled": _say(_l("%(who)s turned off routing rule “%(name)s”"),
                                  name=_name("routing_rule", "name")),
    "routing_rule.deleted": _say(_l("%(who)s deleted routing rule “%(name)s”"),
                                 name=_name("routing_rule", "name")),
    "routing_rule.reordered": _say(_l("%(who)s changed the order of the routing rules")),
    "response_template.created": _say(_l("%(who)s created response template “%(name)s”"),
                                      name=_name("response_template", "name")),
    "response_template.updated": _say(
        _l("%(who)s changed response template “%(name)s”: %(changes)s"),
        name=_name("response_template", "name"), changes=changes),
    "response_template.deleted": _say(_l("%(who)s deleted response template “%(name)s”"),
                                      name=_name("response_template", "name")),
    "sla.calendar_changed": _say(_l("%(who)s changed the business hours: %(changes)s"),
                                 changes=changes),
    "sla.holiday_added": _say(_l("%(who)s added the holiday “%(name)s” on %(day)s"),
                              name=_field("name"),
                              day=lambda e, n: local_date(data_of(e).get("day"))),
    "sla.holiday_removed": _say(_l("%(who)s removed the holiday “%(name)s” on %(day)s"),
                                name=_field("name"),
                                day=lambda e, n: local_date(data_of(e).get("day"))),
    "sla.policies_changed": _say(_l("%(who)s changed the SLA targets")),
    "tenant.signed_up": _say(_l("%(who)s opened the help desk of %(name)s"),
                             name=_field("name")),
    "tenant.updated": _say(_l("%(who)s changed the company settings: %(changes)s"),
                           changes=changes),
    "widget.updated": _widget_changed,
    "widget.secret_changed": _widget_secret,
    "stop_list.updated": _say(_l("%(who)s changed the stop lists")),
    # Knowledge base
    "kb.article_created": _say(_l("%(who)s wrote the article “%(title)s”"),
                               title=_field("title")),
    "kb.article_drafted": _say(_l("%(who)s made a draft article “%(title)s” of a reply in "
                                  "ticket #%(number)s"), title=_field("title"),
                               number=_field("ticket_number")),
    "kb.article_updated": _say(_l("%(who)s changed the article “%(title)s”"),
                               title=_field("title")),
    "kb.article_deleted": _say(_l("%(who)s deleted the article “%(title)s”"),
                               title=_field("title")),
    "kb.category_created": _say(_l("%(who)s created the knowledge-base category “%(name)s”"),
                                name=_field("name")),
    "kb.category_updated": _say(_l("%(who)s changed the knowledge-base category “%(name)s”"),
                                name=_field("name")),
    "kb.category_deleted": _say(_l("%(who)s deleted the knowledge-base category “%(name)s”"),
                                name=_field("name")),
    "kb.comment_approved": _say(_l("%(who)s approved a comment by %(name)s"),
                                name=_field("name")),
    "kb.comment_deleted": _say(_l("%(who)s deleted a comment by %(name)s"),
                               name=_field("name")),
    # Billing and mail
    "billing.credited": _credited,
    "billing.topup_started": _say(_l("%(who)s started a top-up of %(amount)s"), amount=amount),
    "billing.topup_failed": _say(_l("A top-up payment failed")),
    "billing.topup_expired": _say(_l("A top-up expired unpaid")),
    "billing.adjusted": _say(_l("%(who)s adjusted the balance by %(amount)s: %(reason)s"),
                             amount=amount, reason=_field("reason")),
    "billing.plan_changed": _plan_changed,
    "billing.downgrade_scheduled": _say(
        _l("%(who)s scheduled a change from the %(old)s plan to %(new)s on %(day)s"),
        old=lambda e, n: plan_label(data_of(e).get("from")),
        new=lambda e, n: plan_label(data_of(e).get("to")),
        day=lambda e, n: local_date(data_of(e).get("effective_on"))),
    "billing.downgrade_cancelled": _say(
        _l("%(who)s cancelled the planned change to the %(new)s plan"),
        new=lambda e, n: plan_label(data_of(e).get("was_scheduled"))),
    "billing.addon_bought": _say(_l("%(who)s bought the add-on %(name)s for %(amount)s a day"),
                                 name=lambda e, n: plan_label(data_of(e).get("addon")),
                                 amount=lambda e, n: amount(e, n, "daily_price")),
    "billing.addon_dropped": _say(_l("%(who)s dropped the add-on %(name)s"),
                                  name=lambda e, n: plan_label(data_of(e).get("addon"))),
    "billing.suspended": _say(_l("The help desk was suspended: the balance did not cover the "
                                 "day")),
    "billing.resumed": _say(_l("The help desk was resumed")),
    "billing.held": _say(_l("%(who)s suspended the help desk: %(reason)s"),
                         reason=_field("reason")),
    "billing.hold_lifted": _say(_l("%(who)s lifted the suspension")),
    "billing.tickets_released": lambda e, n, who: ngettext(
        "%(num)d waiting request was released to the inbox",
        "%(num)d waiting requests were released to the inbox",
        int(data_of(e).get("count") or 0)),
    # Letters and internal mail
    "letter_template.updated": _say(_l("%(who)s changed the letter “%(subject)s” (%(language)s)"),
                                    subject=_field("subject"), language=_field("language")),
    "letter_template.reset": _say(_l("%(who)s restored the default letter %(kind)s "
                                     "(%(language)s)"),
                                  kind=_field("kind"), language=_field("language")),
    "internal_mail.started": _say(_l("%(who)s started the conversation “%(subject)s”"),
                                  subject=_field("subject")),
    "internal_mail.posted": _say(_l("%(who)s wrote in the conversation “%(subject)s”"),
                                 subject=_field("subject")),
    "billing.letter": _say(_l("Letter “%(subject)s” sent to %(to)s"),
                           subject=_field("subject"), to=_to),
    "mail.sent": _say(_l("Letter “%(subject)s” sent to %(to)s"), subject=_field("subject"),
                      to=_to),
    # Gmail
    "gmail.connected": _say(_l("%(who)s connected the Gmail mailbox %(email)s"),
                            email=_field("email")),
    "gmail.disconnected": _say(_l("%(who)s disconnected the Gmail mailbox %(email)s"),
                               email=_field("email")),
    "gmail.needs_reconnect": _say(_l("Google stopped accepting the access to %(email)s: the "
                                     "Gmail mailbox needs reconnecting"), email=_field("email")),
    "gmail.reply_failed": _say(_l("A reply on ticket #%(number)s could not be sent through "
                                  "Gmail: %(error)s"), number=number, error=_field("error")),
}
