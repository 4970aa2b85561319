"""Finding the ticket a template is rendered for, with the agent's department rights."""
from flask_babel import gettext as _

from app.errors import NotFound
from app.extensions import db
from app.tickets.access import visible_tickets
from app.tickets.models import Ticket


def find_ticket(staff, number: int) -> Ticket:
    """Ticket ``number`` of the current tenant if ``staff`` may see it; otherwise 404."""
    ticket = db.session.scalar(visible_tickets(staff).where(Ticket.number == number))
    if ticket is None:
        raise NotFound(_("Ticket not found."))
    return ticket
