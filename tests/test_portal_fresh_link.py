"""The fresh-link form: the same answer for any address, limited, and the letter (with
working links, the expired one's request first) leaves only after commit."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rq import Queue

from tests.fakes.smtp_server import FakeSMTP
from tests.portal_support import REQUESTER, new_ticket, page, portal_ticket
from tests.test_invitations import _deliver_mail

ANSWER = "If this address has requests with us, we have sent a link to it."


def _ask(client, slug: str, email: str, old_token: str = ""):
    html = page(client, f"/p/{slug}/link")[1]
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    return client.post(f"/p/{slug}/link", data={"email": email, "form_token": token,
                                                 "old_token": old_token})


def _queued(app) -> int:
    with app.app_context():
        return Queue("mail", connection=app.extensions["redis"]).count


def _slug(url: str) -> str:
    return url.split("/")[2]


def test_the_answer_never_says_whether_the_address_has_requests(app, client, tenant_a):
    _, url = portal_ticket(app, tenant_a)
    slug = _slug(url)
    known = _ask(client, slug, REQUESTER)
    unknown = _ask(client, slug, "stranger@nowhere.example")
    staff = _ask(client, slug, f"admin@{slug}.example")  # staff, not a requester
    assert known.status_code == unknown.status_code == staff.status_code == 302
    assert known.location == unknown.location == staff.location
    for response in (known, unknown, staff):
        assert ANSWER in page(client, response.location)[1]
    assert _queued(app) == 3  # the lookup happens in the job, for every address alike
    with FakeSMTP() as smtp:
        _deliver_mail(app, smtp)
    assert [m["to"] for m in smtp.messages] == [[REQUESTER]]


def test_the_letter_holds_working_links_and_the_old_requests_first(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a, subject="The one that expired")
    newer = new_ticket(tenant_a, subject="A newer one")
    new_ticket(tenant_a, email="other@client.example", subject="Someone else's")
    later = datetime.now(UTC) + timedelta(days=31)
    with time_machine.travel(later):
        assert client.get(url).status_code == 410
        with FakeSMTP() as smtp:
            assert _ask(client, _slug(url), " Jane@Client.Example ",
                        old_token=url.rsplit("/", 1)[1]).status_code == 302
            _deliver_mail(app, smtp)
        [letter] = smtp.messages
        text = letter["message"].get_body(("plain",)).get_content()
        assert "Someone else's" not in text
        assert text.index("The one that expired") < text.index("A newer one")
        links = re.findall(r"https?://\S+/p/\S+", text)
        assert len(links) == 2
        fresh = links[0].removeprefix(app.config["BASE_URL"])
        response, html = page(client, fresh)
        assert response.status_code == 200 and "The one that expired" in html
    events = tenant_a.get("/events?action=portal.link_sent").get_json()["items"]
    assert events and events[0]["data"]["tickets"] == [number, newer]


def test_nothing_leaves_when_the_request_fails_to_commit(app, client, tenant_a,
                                                          refused_commit):
    _, url = portal_ticket(app, tenant_a)
    with refused_commit():
        _ask(client, _slug(url), REQUESTER)
    assert _queued(app) == 0
    _ask(client, _slug(url), REQUESTER)
    assert _queued(app) == 1


def test_letters_per_address_and_requests_per_client_are_limited(app, client, tenant_a):
    _, url = portal_ticket(app, tenant_a)
    slug = _slug(url)
    limit, app.config["PORTAL_LINK_RATE_LIMIT"] = app.config["PORTAL_LINK_RATE_LIMIT"], "6 per hour"
    try:
        for _ in range(5):
            assert _ask(client, slug, REQUESTER).status_code == 302  # the same answer …
        assert _queued(app) == 3  # … but three letters an hour at most
        assert _ask(client, slug, "a@b.example").status_code == 302
        limited = _ask(client, slug, "c@d.example")
    finally:
        app.config["PORTAL_LINK_RATE_LIMIT"] = limit
    assert limited.status_code == 429 and limited.headers.get("Retry-After")
    assert "Too many requests" in limited.get_data(as_text=True)


@pytest.mark.parametrize("email", ["not an address", "", "a@" + "b" * 300 + ".example"])
def test_a_malformed_address_is_pointed_out_and_kept(app, client, tenant_a, email):
    _, url = portal_ticket(app, tenant_a)
    response = _ask(client, _slug(url), email)
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in response.get_data(as_text=True)
    assert _queued(app) == 0


def test_the_form_needs_its_token(app, client, tenant_a):
    _, url = portal_ticket(app, tenant_a)
    response = client.post(f"/p/{_slug(url)}/link", data={"email": REQUESTER})
    assert response.status_code == 400 and REQUESTER in response.get_data(as_text=True)
    assert _queued(app) == 0
