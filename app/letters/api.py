"""API: letter templates (admin). One path per kind — ``/letters/receipt``, ``/letters/reply``
… — so an unknown kind is a 404 like any unknown address; ``?language=`` picks the version
(default: the company's language). The service decides who may (403 for the others)."""
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.languages import Language
from app.letters import templates
from app.letters.kinds import KINDS, MAX_BODY, MAX_SUBJECT
from app.letters.preview import placeholders_of, preview
from tenants.resolve import current_tenant


class LanguageQuery(BaseModel):
    language: Language | None = Field(None, description="default: the company's language")


class LetterIn(BaseModel):
    subject: str = Field(max_length=MAX_SUBJECT)
    body: str = Field(max_length=MAX_BODY, description="HTML with {{placeholders}}")


class PreviewIn(BaseModel):
    subject: str | None = Field(None, max_length=MAX_SUBJECT)
    body: str | None = Field(None, max_length=MAX_BODY)


class LetterOut(BaseModel):
    kind: str
    language: str
    subject: str
    body: str
    customized: bool = Field(description="false: the default wording")
    placeholders: list[str]


class LetterPreviewOut(BaseModel):
    subject: str
    html: str
    text: str


def _language(query: LanguageQuery) -> str:
    return query.language or current_tenant().language or "en"


def letter_json(letter: templates.Letter) -> dict:
    return {"kind": letter.kind, "language": letter.language, "subject": letter.subject,
            "body": letter.body, "customized": letter.customized,
            "placeholders": placeholders_of(letter.kind)}


def _register(kind: str) -> None:
    def read(staff, query: LanguageQuery):
        return letter_json(templates.view_letter(actor=staff, kind=kind,
                                                 language=_language(query)))

    def write(staff, query: LanguageQuery, data: LetterIn):
        return letter_json(templates.save_letter(actor=staff, kind=kind,
                                                 language=_language(query),
                                                 subject=data.subject, body=data.body))

    def reset(staff, query: LanguageQuery):
        return letter_json(templates.reset_letter(actor=staff, kind=kind,
                                                  language=_language(query)))

    def show(staff, query: LanguageQuery, data: PreviewIn):
        return preview(actor=staff, kind=kind, language=_language(query),
                       subject=data.subject, body=data.body).__dict__

    path = f"/letters/{kind}"
    for fn, method, rule, summary, extra in (
            (read, "GET", path, "Get the letter template", {}),
            (write, "PUT", path, "Change the letter template", {"body": LetterIn}),
            (reset, "DELETE", path, "Go back to the default letter", {}),
            (show, "POST", f"{path}/preview", "Preview the letter with sample values",
             {"body": PreviewIn})):
        fn.__name__ = f"{fn.__name__}_{kind}"
        endpoint(rule, method, summary=f"{summary} ({kind})", tag="letters",
                 query=LanguageQuery, response=LetterPreviewOut if fn is show else LetterOut,
                 errors=(403, 422), **extra)(fn)


for _kind in KINDS:
    _register(_kind)
