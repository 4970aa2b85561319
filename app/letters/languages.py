"""The language a requester is written to: the one they last used on the widget or the
portal, else (no row) the tenant's."""
from sqlalchemy import select

from app.extensions import db
from app.languages import LANGUAGES
from app.letters.models import RequesterLanguage


def requester_language(customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    return db.session.scalar(select(RequesterLanguage.language).where(
        RequesterLanguage.customer_id == customer_id))


def remember_language(customer_id: int | None, language: str) -> None:
    """Note ``language`` as the requester's (a job does this, not the request)."""
    if customer_id is None or language not in LANGUAGES:
        return
    row = db.session.scalar(select(RequesterLanguage).where(
        RequesterLanguage.customer_id == customer_id))
    if row is None:
        db.session.add(RequesterLanguage(customer_id=customer_id, language=language))
    elif row.language != language:
        row.language = language
    db.session.flush()
