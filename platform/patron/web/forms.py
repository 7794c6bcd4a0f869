"""WTForms forms (CSRF-protected by flask-wtf)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    """Sign in to one tenant."""

    tenant = StringField("Organisation", validators=[DataRequired()])
    email = EmailField("E-mail", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Remember me")


class LogoutForm(FlaskForm):
    """An empty form: logging out is a POST with a CSRF token."""
