"""API: the stop lists (admin) and "not spam" for a held request."""
from typing import Annotated

from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.spam import service, stop_list
from app.tickets import service as tickets
from app.tickets.schemas import TicketOut
from app.tickets.serialize import ticket_json

Entry = Annotated[str, Field(max_length=254)]
Entries = Annotated[list[Entry], Field(max_length=stop_list.MAX_ENTRIES)]


class StopListIn(BaseModel):
    addresses: Entries | None = Field(None, description="e-mail addresses (exact)")
    domains: Entries | None = Field(None, description="domains; their subdomains too")
    words: Entries | None = Field(None, description="words or phrases, whole words, any case")


class StopListOut(BaseModel):
    addresses: list[str]
    domains: list[str]
    words: list[str]


@endpoint("/stop-list", "GET", summary="The stop lists (a matching request is stored as spam)",
          tag="spam", response=StopListOut, roles=("admin",))
def get_stop_list(staff):
    return stop_list.get_stop_list()


@endpoint("/stop-list", "PUT", summary="Replace the stop lists (the lists given)", tag="spam",
          body=StopListIn, response=StopListOut, roles=("admin",), errors=(422,))
def put_stop_list(staff, data: StopListIn):
    return stop_list.update_stop_list(actor=staff, addresses=data.addresses,
                                      domains=data.domains, words=data.words)


@endpoint("/tickets/<int:number>/not-spam", "POST",
          summary="Not spam: move a request held by a stop list to the inbox", tag="tickets",
          response=TicketOut, errors=(403, 404))
def not_spam(staff, number: int):
    ticket = service.not_spam(actor=staff, ticket=tickets.get_ticket(staff, number))
    return ticket_json(ticket)
