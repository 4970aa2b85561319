"""API: tokens (a script's login, or another token for the same staff member)."""
from datetime import datetime

from flask import current_app, g, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import EmailAddress
from app.auth.devices import COOKIE as DEVICE_COOKIE
from app.auth.login import authenticate
from app.auth.tokens import create_token, revoke_token
from app.errors import Unauthorized, ValidationFailed
from tenants.resolve import tenant_by_slug


class TokenIn(BaseModel):
    name: str = Field("API", max_length=100)
    tenant: str | None = Field(None, max_length=40)
    email: EmailAddress | None = None
    password: str | None = Field(None, max_length=200)


class TokenOut(BaseModel):
    id: int
    token: str
    name: str
    created_at: datetime


@endpoint("/tokens", "POST", summary="Create an API token", tag="tokens", body=TokenIn,
          response=TokenOut, status=201, auth=False, errors=(401, 429),
          rate_limit=lambda: current_app.config["LOGIN_RATE_LIMIT"])
def api_create_token(data: TokenIn):
    staff = g.get("api_staff")
    if staff is None:
        missing = {f: _("Required without a bearer token.") for f in ("tenant", "email",
                                                                       "password")
                   if not getattr(data, f)}
        if missing:
            raise ValidationFailed(fields=missing)
        if tenant_by_slug(data.tenant) is None:
            raise Unauthorized(_("Wrong e-mail or password."))
        staff = authenticate(email=data.email, password=data.password,
                             address=request.remote_addr,
                             device=request.cookies.get(DEVICE_COOKIE))
    token, plaintext = create_token(staff, data.name)
    return {"id": token.id, "token": plaintext, "name": token.name,
            "created_at": token.created_at.isoformat()}, 201


@endpoint("/tokens/<int:token_id>", "DELETE", summary="Revoke a token", tag="tokens",
          status=204, errors=(404,))
def api_revoke_token(staff, token_id: int):
    revoke_token(staff, token_id)
