"""The customer portal: a signed link shows the request's public conversation; tampered,
expired or foreign links show no ticket; forms need the link's token."""
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.portal.look import contrast
from app.portal.models import PortalLink
from tests.crosstenant.rules import as_tenant_of
from tests.portal_support import REQUESTER, form_token, link_of, new_ticket, page, portal_ticket


def test_status_link_shows_the_public_conversation_only(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a, subject="Printer smoke")
    tenant_a.post(f"/tickets/{number}/messages", {"body": "Unplug it, please.",
                                                  "internal": False})
    tenant_a.post(f"/tickets/{number}/messages", {"body": "Secret: blame the intern",
                                                  "internal": True})
    response, html = page(client, url)
    assert response.status_code == 200
    assert "Printer smoke" in html and "It smokes when I print." in html
    assert "Unplug it, please." in html
    assert "blame the intern" not in html
    assert "Company " in html  # the company's name, not the staff layout
    assert "no-store" in response.headers["Cache-Control"]
    assert 'name="referrer" content="no-referrer"' in html


def test_status_url_is_absolute_by_default_and_reused(app, tenant_a):
    number = new_ticket(tenant_a)
    first = link_of(app, tenant_a, number, external=True)
    assert first.startswith(app.config["BASE_URL"] + "/p/")
    assert link_of(app, tenant_a, number) == first.removeprefix(app.config["BASE_URL"])
    with as_tenant_of(app, tenant_a):
        assert db.session.scalar(select(func.count()).select_from(PortalLink)) == 1


def test_a_tampered_token_shows_no_ticket_and_offers_a_fresh_link(app, client, tenant_a):
    _, url = portal_ticket(app, tenant_a, subject="Private matter")
    slug, token = url.split("/")[2], url.rsplit("/", 1)[1]
    payload, signature = token.split(".")
    for bad in (payload + "." + signature[::-1], payload[:-2] + "AA." + signature, "garbage",
                token + "x"):
        response, html = page(client, f"/p/{slug}/t/{bad}")
        assert response.status_code == 404, bad
        assert "Private matter" not in html
        assert "This link is not valid" in html
        assert f'action="/p/{slug}/link"' in html  # the fresh-link form


def test_a_link_expires_after_30_idle_days_and_each_visit_refreshes_it(app, client, tenant_a):
    _, url = portal_ticket(app, tenant_a, subject="Slow wifi")
    now = datetime.now(UTC)
    with time_machine.travel(now + timedelta(days=29)):
        assert client.get(url).status_code == 200  # a visit: 30 more days
    with time_machine.travel(now + timedelta(days=58)):
        assert client.get(url).status_code == 200
    with time_machine.travel(now + timedelta(days=89)):
        response, html = page(client, url)
    assert response.status_code == 410
    assert "This link has expired" in html and "Slow wifi" not in html
    assert 'name="old_token"' in html  # the fresh letter puts this request first


def test_a_revoked_link_no_longer_works_and_a_new_one_is_made(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    with as_tenant_of(app, tenant_a):
        db.session.scalar(select(PortalLink)).revoked_at = datetime.now(UTC)
        db.session.commit()
    assert client.get(url).status_code == 410
    fresh = link_of(app, tenant_a, number)
    assert fresh != url and client.get(fresh).status_code == 200


def test_a_valid_token_under_another_companys_address_shows_nothing(app, client, signup):
    api_a, _ = signup()
    _api_b, body_b = signup(company_name="Other Company")
    _, url = portal_ticket(app, api_a, subject="Only for A")
    token = url.rsplit("/", 1)[1]
    slug_b = body_b["tenant"]["slug"]
    response, html = page(client, f"/p/{slug_b}/t/{token}")
    assert response.status_code == 404
    assert "Only for A" not in html and "Other Company" in html
    assert client.get(f"/p/{slug_b}/t/{token}/requests").status_code == 404
    assert client.get(f"/p/no-such-company/t/{token}").status_code == 404


def test_a_trashed_request_shows_nothing(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a, subject="Spam spam")
    assert tenant_a.delete(f"/tickets/{number}").status_code in (200, 204)
    response, html = page(client, url)
    assert response.status_code == 404 and "Spam spam" not in html


def test_forms_need_the_links_token(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    for action, data in (("reply", {"body": "Still broken"}), ("solve", {"status": "new"}),
                         ("rate", {"score": "5"})):
        response = client.post(f"{url}/{action}", data=data)
        assert response.status_code == 400, action
        assert "This form is out of date" in response.get_data(as_text=True)
    kept = client.post(f"{url}/reply", data={"body": "Still broken", "form_token": "nope"})
    assert "Still broken" in kept.get_data(as_text=True)  # the text comes back
    another = link_of(app, tenant_a, new_ticket(tenant_a))
    foreign = form_token(page(client, another)[1])  # another link's token does not do
    assert client.post(f"{url}/reply", data={"body": "x", "form_token": foreign}
                       ).status_code == 400
    messages = tenant_a.get(f"/tickets/{number}").get_json()["messages"]
    assert len(messages) == 1 and tenant_a.get(f"/tickets/{number}").get_json()["status"] == "new"


def test_forms_work_without_a_session_cookie_when_csrf_is_on(app, tenant_a):
    """The portal's own token replaces the cookie-bound CSRF token: a visitor who keeps no
    cookies can still post."""
    _, url = portal_ticket(app, tenant_a)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        cookieless = app.test_client(use_cookies=False)
        token = form_token(cookieless.get(url).get_data(as_text=True))
        response = cookieless.post(f"{url}/reply", data={"body": "From a strict browser",
                                                          "form_token": token})
        assert response.status_code == 302
        staff_form = cookieless.post(f"/t/{url.split('/')[2]}/forgot-password",
                                     data={"email": "x@y.example"})
        assert staff_form.status_code == 400  # the rest of the app still wants its token
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_my_requests_lists_only_the_requesters_own(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a, subject="First of mine")
    second = new_ticket(tenant_a, subject="Second of mine")
    stranger = new_ticket(tenant_a, email="someone@else.example", subject="Not mine")
    response, html = page(client, f"{url}/requests")
    assert response.status_code == 200
    assert "First of mine" in html and "Second of mine" in html and "Not mine" not in html
    assert REQUESTER in html
    opened = client.get(f"{url}/requests/{second}")
    assert opened.status_code == 302 and opened.location != url
    assert "Second of mine" in page(client, opened.location)[1]
    assert client.get(f"{url}/requests/{stranger}").status_code == 404
    assert client.get(f"{url}/requests/999999").status_code == 404
    assert "All my requests (2)" in page(client, url)[1]
    assert client.get(f"{url}/requests?page=99999999999").status_code == 200
    assert number != second


def test_language_follows_the_company_and_the_switch(app, client, signup):
    api, _ = signup(language="ru")
    _, url = portal_ticket(app, api)
    assert '<html lang="ru"' in page(client, url)[1]
    assert '<html lang="kk"' in page(client, f"{url}?lang=kk")[1]


def test_pages_wear_the_companys_colour_readably(app, client, tenant_a):
    assert tenant_a.patch("/widget", {"colors": {"primary": "#FFD700"}}).status_code == 200
    _, url = portal_ticket(app, tenant_a)
    html = page(client, url)[1]
    assert 'href="/p/look.css?c=ffd700"' in html
    response = client.get("/p/look.css?c=ffd700")
    css = response.get_data(as_text=True)
    assert response.mimetype == "text/css" and "immutable" in response.headers["Cache-Control"]
    values = dict(rule.split(":") for rule in css.strip()[len(":root{"):-1].split(";") if rule)
    assert values["--accent"] == "#ffd700"
    assert values["--on-accent"] == "#1d2733"  # dark text on a light colour
    link = values["--accent-link"].removeprefix("#")
    assert contrast(tuple(int(link[i:i + 2], 16) for i in (0, 2, 4)), (255, 255, 255)) >= 4.5
    fallback = client.get("/p/look.css?c=</style><script>").get_data(as_text=True)
    assert "--accent:#2563eb;" in fallback and "--on-accent:#ffffff;" in fallback
