"""WTForms forms (CSRF-protected by flask-wtf)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo


class LoginForm(FlaskForm):
    """Sign in to one tenant."""

    tenant = StringField(_l("Organisation"), validators=[DataRequired()])
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))


class LogoutForm(FlaskForm):
    """An empty form: logging out is a POST with a CSRF token."""


class ChoosePasswordForm(FlaskForm):
    """The first password of an invited user (the strength rules are the service's)."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
