"""API: the widget's settings (admin) and its identity-verification secret."""
from typing import Annotated

from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.limits import MAX_EMAIL, MAX_ITEMS, MAX_KEY
from app.languages import Language
from app.widget import checks
from app.widget.settings import set_identity_secret, settings_json, update_widget

Origin = Annotated[str, Field(max_length=MAX_EMAIL)]
NoLanguage = Annotated[str, Field(max_length=0)]  # "": each visitor's browser language


class WidgetField(BaseModel):
    name: str = Field(max_length=MAX_KEY, description="name, email, subject, body, "
                      "department_id, attachments, or a custom field's key")
    label: str = Field("", max_length=checks.MAX_LABEL, description="empty: the widget's "
                       "own words in the visitor's language")
    required: bool = False


class WidgetFieldOut(WidgetField):
    kind: str | None = None


class WidgetColors(BaseModel):
    primary: str = Field(checks.DEFAULT_COLOR, max_length=7, description="#rrggbb")


class WidgetTexts(BaseModel):
    title: str = Field("", max_length=checks.TEXT_LIMITS["title"])
    greeting: str = Field("", max_length=checks.TEXT_LIMITS["greeting"])
    thanks: str = Field("", max_length=checks.TEXT_LIMITS["thanks"])


class WidgetPatch(BaseModel):
    allowed_origins: list[Origin] | None = Field(
        None, max_length=checks.MAX_ORIGINS, description="each exactly scheme://host[:port]; "
        "an empty list allows no site")
    fields: list[WidgetField] | None = Field(None, max_length=checks.MAX_FIELDS)
    department_ids: list[int] | None = Field(None, max_length=MAX_ITEMS,
                                             description="offered; empty: all")
    colors: WidgetColors | None = None
    texts: WidgetTexts | None = None
    language: Language | NoLanguage | None = Field(
        None, description="empty: the visitor's browser language")


class WidgetOut(BaseModel):
    key: str
    allowed_origins: list[str]
    fields: list[WidgetFieldOut]
    department_ids: list[int]
    colors: WidgetColors
    texts: WidgetTexts
    language: str
    identity_secret: str | None = Field(description="signs customers' addresses; null: "
                                        "identity verification is off")
    snippet: str


class SecretOut(BaseModel):
    identity_secret: str


def _with_kinds(settings: dict) -> dict:
    for item in settings["fields"]:
        item["kind"] = checks.BUILTIN.get(item["name"], "custom")
    return settings


@endpoint("/widget", "GET", summary="The widget's settings, key and snippet (admin)",
          tag="widget", response=WidgetOut, roles=("admin",))
def get_widget(staff):
    return _with_kinds(settings_json(actor=staff))


@endpoint("/widget", "PATCH", summary="Change the widget's settings (admin)", tag="widget",
          body=WidgetPatch, response=WidgetOut, roles=("admin",), errors=(422,))
def patch_widget(staff, data: WidgetPatch):
    update_widget(actor=staff, changes=data.model_dump(exclude_unset=True))
    return _with_kinds(settings_json(actor=staff))


@endpoint("/widget/secret", "POST",
          summary="A new identity-verification secret (the old one stops working)",
          tag="widget", response=SecretOut, status=201, roles=("admin",))
def new_secret(staff):
    return {"identity_secret": set_identity_secret(actor=staff, enabled=True)}, 201


@endpoint("/widget/secret", "DELETE", summary="Turn identity verification off", tag="widget",
          status=204, roles=("admin",))
def drop_secret(staff):
    set_identity_secret(actor=staff, enabled=False)
