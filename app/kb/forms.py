"""The staff pages' forms (Flask-WTF, with CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.kb.categories import MAX_NAME
from app.kb.service import MAX_MARKDOWN, MAX_TITLE
from app.languages import LANGUAGE_CHOICES


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    body_markdown = TextAreaField(_l("Text (Markdown)"),
                                  validators=[Length(max=MAX_MARKDOWN)])
    category_id = SelectField(_l("Category"), coerce=optional_id, validate_choice=False)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    public = BooleanField(_l("Public: on the help center, in the widget and the portal"))
    draft = BooleanField(_l("Draft: not published yet"))
    featured = BooleanField(_l("Featured: first on the help center's home page"))


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    slug = StringField(_l("Address"), validators=[Optional(), Length(max=80)],
                       description=_l("Latin letters, digits and hyphens; empty: from the name"))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    parent_id = SelectField(_l("Inside"), coerce=optional_id, validate_choice=False)
    position = IntegerField(_l("Position"), default=0,
                            validators=[Optional(), NumberRange(-1_000_000, 1_000_000)])


def category_choices(categories, *, top_level_only: bool = False, none_label=None) -> list:
    choices = [("", str(none_label or _l("— none —")))]
    for category in categories:
        if top_level_only and category.parent_id is not None:
            continue
        prefix = "— " if category.parent_id is not None else ""
        choices.append((category.id, prefix + category.name))
    return choices
