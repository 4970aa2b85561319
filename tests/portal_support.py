"""Helpers for the customer portal's tests: a ticket with its portal link, the forms'
tokens read from a page, and the page's text."""
import re

from sqlalchemy import select

from app.extensions import db
from app.portal.links import status_url
from app.tickets.models import Ticket
from tests.crosstenant.rules import as_tenant_of

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
REQUESTER = "jane@client.example"


def new_ticket(api, *, email: str = REQUESTER, subject: str = "The printer is on fire",
               body: str = "It smokes when I print.") -> int:
    response = api.post("/tickets", {"subject": subject, "body": body,
                                     "requester": {"email": email, "name": "Jane Client"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def link_of(app, api, number: int, *, external: bool = False) -> str:
    """The ticket's portal address, made (or reused) the way letters and the widget do."""
    with as_tenant_of(app, api):
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        url = status_url(ticket, external=external)
        db.session.commit()
    return url


def portal_ticket(app, api, **kwargs) -> tuple[int, str]:
    number = new_ticket(api, **kwargs)
    return number, link_of(app, api, number)


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def page(client, url: str):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def status_of(api, number: int) -> str:
    return api.get(f"/tickets/{number}").get_json()["status"]
