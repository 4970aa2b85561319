"""A requester's other pages: all their requests at the company (from any of their links),
and the form that e-mails a fresh link when theirs expired."""
from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _

from app.errors import ValidationFailed
from app.extensions import limiter
from app.portal import fresh, links, service
from app.portal.pages import FORM_EXPIRED, bp, current_company, render, visit_of

MAX_OLD_TOKEN = 500  # a token this app makes is about 100 characters


@bp.get("/t/<token>/requests")
def requests_list(slug: str, token: str):
    visit = visit_of(token)
    page = request.args.get("page", 1, type=int) or 1
    rows, more = service.requester_tickets(visit, page=page)
    return render("portal/requests.html", visit=visit, rows=rows, more=more,
                  page=max(page, 1), slug=slug, token=token)


@bp.get("/t/<token>/requests/<int:number>")
def open_request(slug: str, token: str, number: int):
    """One of the requester's requests, through its own link (made now if it has none)."""
    ticket = service.requester_ticket(visit_of(token), number)
    return redirect(links.status_url(ticket, external=False))


def _link_limit() -> str:
    return current_app.config.get("PORTAL_LINK_RATE_LIMIT", "10 per hour")


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit(_link_limit, methods=["POST"])
def fresh_link(slug: str):
    """Ask for a fresh link by e-mail. The answer never says whether the address has
    requests here; only a malformed address or an outdated form is pointed out."""
    tenant = current_company()
    values = {"email": "", "errors": {}, "old_token": "", "state": "ask",
              "fresh_token": fresh.form_token(tenant.slug)}
    if request.method == "GET":
        values["state"] = "sent" if request.args.get("sent") else "ask"
        return render("portal/refused.html", **values)
    values["email"] = request.form.get("email", "")
    old_token = request.form.get("old_token", "")
    values["old_token"] = old_token if len(old_token) <= MAX_OLD_TOKEN else ""
    if not fresh.form_token_ok(tenant.slug, request.form.get("form_token")):
        return render("portal/refused.html", 400, **values | {"errors": {"form": FORM_EXPIRED}})
    try:
        fresh.request_fresh_link(email=values["email"], old_token=values["old_token"] or None)
    except ValidationFailed:
        return render("portal/refused.html", 422, **values | {
            "errors": {"email": _("Enter a valid e-mail address.")}})
    return redirect(url_for("portal.fresh_link", slug=tenant.slug, sent=1))
