"""``/t/<tenant slug>/support``: the public support form.

Anyone may submit it without signing in. It is CSRF-protected like every form, rate-limited
per address (``PATRON_SUPPORT_FORM_RATE_LIMIT``, default ten a minute) and carries a honeypot
field that people never see; a submission that fills it in is thanked and dropped. A tenant
that does not exist, is not active or has not enabled the module answers 404, the same
answer as for a form that is closed.

``/t/<tenant slug>/support/confirm/<token>`` is the link of the confirmation mail a known
address gets (``services/support.py``): it asks the sender to press a button, because mail
scanners open links but do not post forms.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from patron.sdk import Tenant, public_page
from patron_service.permissions import MODULE
from patron_service.services.support import confirm_sender, submit_ticket, ticket_to_confirm

bp = Blueprint("support", __name__)

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a valid e-mail address."))


class SupportForm(FlaskForm):
    """What a customer tells the service desk; ``website`` is the honeypot."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254), EMAIL])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("How can we help?"),
                                validators=[DataRequired(), Length(max=20000)])
    website = StringField(_l("Website"))


@bp.route("/t/<slug>/support", methods=["GET", "POST"])
@public_page(MODULE, arg="slug", rate_limit_setting="PATRON_SUPPORT_FORM_RATE_LIMIT")
def support_form(slug: str, tenant: Tenant):
    """The form, and the thanks once it is sent."""
    form = SupportForm()
    if form.validate_on_submit():
        if not form.website.data:
            submit_ticket(tenant, form.name.data, form.email.data, form.subject.data,
                          form.description.data)
        return redirect(url_for(".support_form", slug=tenant.slug, sent=1))
    sent = request.method == "GET" and request.args.get("sent") == "1"
    return render_template("service/support.html", form=form, tenant=tenant, sent=sent), (
        422 if form.errors else 200)


class ConfirmForm(FlaskForm):
    """The confirmation button (its CSRF token is all it carries)."""


@bp.route("/t/<slug>/support/confirm/<token>", methods=["GET", "POST"])
@public_page(MODULE, arg="slug", rate_limit_setting="PATRON_SUPPORT_FORM_RATE_LIMIT")
def confirm_sender_page(slug: str, token: str, tenant: Tenant):
    """Ask the sender to confirm the request, and link it once they do."""
    ticket = ticket_to_confirm(tenant, token)
    if ticket is None:
        abort(404)
    form = ConfirmForm()
    confirmed = ticket.contact_id is not None
    if not confirmed and form.validate_on_submit():
        confirm_sender(ticket)
        return redirect(url_for(".confirm_sender_page", slug=tenant.slug, token=token))
    return render_template("service/support_confirm.html", form=form, tenant=tenant,
                           ticket=ticket, confirmed=confirmed)
