"""Google's consent flow (web flow, PKCE S256, offline access), tokens, revoking.

The state and the PKCE verifier are the caller's to keep server-side between the two legs:
``begin`` returns the consent address and the verifier; ``finish`` trades the code back.
Tests point ``GOOGLE_AUTH_URI``/``GOOGLE_TOKEN_URI``/``GOOGLE_REVOKE_URI`` at a local
server; oauthlib then needs ``OAUTHLIB_INSECURE_TRANSPORT=1`` for plain http (tests only).
"""
import requests
from flask import current_app
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2 import OAuth2Error

# gmail.modify is the narrowest single scope that reads, labels and sends (it cannot delete
# for good); users.getProfile answers under it too.
SCOPES = ["https://www.googleapis.com/auth/gmail.modify"]
TIMEOUT = 20


class NotConfigured(RuntimeError):
    """GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET are not set."""


class ConsentFailed(RuntimeError):
    """Google refused the code (wrong, expired, used, or a PKCE mismatch)."""


class DeadToken(RuntimeError):
    """The refresh token no longer works (``invalid_grant``): the mailbox must reconnect."""


def _client_config(redirect_uri: str) -> dict:
    config = current_app.config
    if not config.get("GOOGLE_CLIENT_ID") or not config.get("GOOGLE_CLIENT_SECRET"):
        raise NotConfigured("GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not set")
    return {"web": {"client_id": config["GOOGLE_CLIENT_ID"],
                    "client_secret": config["GOOGLE_CLIENT_SECRET"],
                    "auth_uri": config["GOOGLE_AUTH_URI"],
                    "token_uri": config["GOOGLE_TOKEN_URI"],
                    "redirect_uris": [redirect_uri]}}


def configured() -> bool:
    config = current_app.config
    return bool(config.get("GOOGLE_CLIENT_ID") and config.get("GOOGLE_CLIENT_SECRET"))


def begin(*, redirect_uri: str, state: str, login_hint: str | None = None) -> tuple[str, str]:
    """(the consent screen's address, the PKCE code verifier to keep for ``finish``)."""
    flow = Flow.from_client_config(_client_config(redirect_uri), scopes=SCOPES,
                                   redirect_uri=redirect_uri, state=state)
    extra = {"login_hint": login_hint} if login_hint else {}
    url, _state = flow.authorization_url(access_type="offline", prompt="consent",
                                         include_granted_scopes="true", **extra)
    return url, flow.code_verifier


def finish(*, redirect_uri: str, code: str, code_verifier: str) -> Credentials:
    """Trade the consent's code (with the verifier) for tokens; ``ConsentFailed``."""
    flow = Flow.from_client_config(_client_config(redirect_uri), scopes=SCOPES,
                                   redirect_uri=redirect_uri, code_verifier=code_verifier,
                                   autogenerate_code_verifier=False)
    try:
        flow.fetch_token(code=code, timeout=TIMEOUT)
    except (OAuth2Error, requests.RequestException, ValueError, Warning) as exc:
        raise ConsentFailed(str(exc) or exc.__class__.__name__) from exc
    credentials = flow.credentials
    if not credentials.refresh_token:
        raise ConsentFailed("Google gave no refresh token (offline access was not granted)")
    return credentials


def credentials(refresh_token: str, *, access_token: str | None = None,
                expiry=None) -> Credentials:
    """Credentials that refresh themselves at ``GOOGLE_TOKEN_URI``."""
    config = current_app.config
    return Credentials(token=access_token, refresh_token=refresh_token,
                       token_uri=config["GOOGLE_TOKEN_URI"],
                       client_id=config["GOOGLE_CLIENT_ID"],
                       client_secret=config["GOOGLE_CLIENT_SECRET"], scopes=SCOPES,
                       expiry=expiry)


def is_dead(exc: BaseException) -> bool:
    """Whether a refresh failure means the token is gone for good (not a network blip)."""
    if not isinstance(exc, RefreshError) or isinstance(exc, TransportError):
        return False
    detail = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else {}
    return detail.get("error") == "invalid_grant" or "invalid_grant" in str(exc)


def revoke(token: str) -> bool:
    """Revoke a token at Google; whether Google confirmed it (a token already dead counts)."""
    try:
        response = requests.post(current_app.config["GOOGLE_REVOKE_URI"], data={"token": token},
                                 timeout=TIMEOUT)
    except requests.RequestException:
        return False
    return response.status_code == 200 or (response.status_code == 400
                                           and "invalid_token" in response.text)
