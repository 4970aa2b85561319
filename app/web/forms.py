"""Forms of the public pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.languages import DEFAULT_LANGUAGE, LANGUAGE_CHOICES


class SignupForm(FlaskForm):
    company_name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Address"), validators=[DataRequired(), Length(max=40)],
                       description=_l("3–40 lowercase letters, digits and hyphens"))
    admin_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    admin_email = EmailField(_l("Your e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 10 characters, not a common password"))
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES,
                           default=DEFAULT_LANGUAGE)


class FindTenantForm(FlaskForm):
    slug = StringField(_l("Company address"), validators=[DataRequired(), Length(max=40)])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))
