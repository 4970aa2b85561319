"""Inline images of an HTML letter: each ``cid:`` image points at the file kept for it,
for agents (``/attachments/<id>``) and in the customer's portal (the portal's own link); an
image left out by the tenant's limits shows its alt text, with no ``src`` at all."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.portal.links import status_url
from app.tickets.models import Ticket
from app.tickets.sanitize import sanitize_html
from tests.gmail_letters import SCRIPTED, html_letter, login, png
from tests.gmail_support import (
    connect,
    fake_google,
    sync_now,
    tenant_of,
    with_gmail_addon,
)

BOX = "support@shop.example"
LOGO, HUGE = png(), png(noise=b"x" * 9000)


@pytest.fixture
def google(app, monkeypatch):
    yield from fake_google(app, monkeypatch)


def _imported(app, client, api, google) -> dict:
    assert api.patch("/settings/attachments", {"max_file_bytes": 4096}).status_code == 200
    google.deliver(BOX, html_letter(html=SCRIPTED, images={"logo@client.example": LOGO,
                                                           "huge@client.example": HUGE}))
    with_gmail_addon(api)
    connect(app, client, api, google)
    return api.get("/tickets/1").get_json()["messages"][0]


def _images(body_html: str) -> list[str]:
    return re.findall(r"<img[^>]*>", body_html)


def test_cid_image_points_at_its_file_and_the_left_out_one_shows_its_alt_text(
        app, client, tenant_a, google):
    message = _imported(app, client, tenant_a, google)
    [logo] = message["attachments"]  # the huge one was over the limit
    assert logo["size"] == len(LOGO)
    images = _images(message["body_html"])
    assert f'<img src="/attachments/{logo["id"]}" alt="our logo">' in images
    assert '<img alt="the huge chart">' in images  # no src: its alt text, no broken link
    assert "cid:" not in message["body_html"] and "script" not in message["body_html"]
    login(client, tenant_a)
    page = client.get("/app/tickets/1").get_data(as_text=True)
    assert f'src="/attachments/{logo["id"]}"' in page
    served = client.get(f"/attachments/{logo['id']}")
    assert served.status_code == 200 and served.get_data() == LOGO


def test_the_portal_shows_the_image_under_its_own_link(app, client, tenant_a, google):
    message = _imported(app, client, tenant_a, google)
    [logo] = message["attachments"]
    with tenant_of(app, tenant_a):
        url = status_url(db.session.scalar(select(Ticket).where(Ticket.number == 1)),
                         external=False)
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    own = f"{url}/files/{logo['id']}"
    assert f'<img src="{own}" alt="our logo">' in page
    assert f'src="/attachments/{logo["id"]}"' not in page
    served = client.get(own)
    assert served.status_code == 200 and served.get_data() == LOGO


def test_a_reply_into_a_ticket_gets_its_images_linked_too(app, client, tenant_a, google):
    first = _imported(app, client, tenant_a, google)
    [ticket_logo] = first["attachments"]
    reply = html_letter(subject="Re: Our logo is broken",
                        html='<p>Now this one:</p><img src="cid:second@client.example" '
                             'alt="second">',
                        images={"second@client.example": png(2, 2)},
                        headers={"References": "<nothing@client.example>"})
    google.deliver(BOX, reply, thread_id=google.accounts[BOX].order[0])
    assert sync_now(app, tenant_a)["imported"] == 1
    messages = tenant_a.get("/tickets/1").get_json()["messages"]
    [file] = messages[-1]["attachments"]
    assert file["id"] != ticket_logo["id"]
    assert f'<img src="/attachments/{file["id"]}" alt="second">' in messages[-1]["body_html"]


def test_only_images_named_by_content_id_are_mapped():
    """A link to ``cid:`` gets nothing, an encoded Content-ID is read decoded, and a
    mapped image still goes through the same URL rules as any other."""
    images = {"logo@x": "/attachments/7", "bad@x": "javascript:alert(1)"}
    html = ('<a href="cid:logo@x">l</a><img src="CID:logo%40x" alt="a">'
            '<img src="cid:bad@x" alt="b"><img src="cid:other@x" alt="c">')
    assert sanitize_html(html, images=images) == (
        '<a rel="noopener noreferrer nofollow">l</a><img src="/attachments/7" alt="a">'
        '<img alt="b"><img alt="c">')
    assert 'src' not in sanitize_html('<img src="cid:logo@x">')  # no map: no cid at all
