"""The lead conversion dialog, ``/sales/leads/<id>/convert``.

A page of its own, reached from the "Convert" button the module adds to the core's page of a
lead (``patron_record_actions``, :mod:`patron_sales.hooks`) and from "My day". It
suggests the account and contact the conversion would match (the core's duplicate matching,
in the user's scope), offers the deal's name, amount, close date and stage, and posts through
:func:`patron_sales.services.conversion.convert_lead` — the service behind
``POST /api/v1/sales/leads/<id>/convert`` — after loading the form with the API's own schema.
Refusals are shown next to their fields; a conversion lands on the new deal's page (or the
account's, when no deal was opened). The custom fields the tenant made required on accounts,
contacts and deals are asked for beside each (``account.custom.<name>``, …), so a conversion
that creates them can be completed on the page; nothing is written unless all of it is valid.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from patron.sdk import (
    UPDATE,
    FieldInfo,
    Matcher,
    Outcome,
    attempt,
    choices,
    db,
    find_target,
    get_scoped_or_404,
    parse_form,
    require,
    required_custom_fields,
    tenant_currency,
)
from patron_sales.models.deals import LOST, Pipeline, Stage
from patron_sales.models.leads import Lead
from patron_sales.permissions import CONVERT_LEADS, LEADS
from patron_sales.schemas.leads import ConvertLeadSchema
from patron_sales.services.conversion import convert_lead

#: The deal fields of the form, posted as ``opportunity.<name>``.
DEAL_FIELDS = ("name", "amount", "currency", "expected_close_date", "stage_id")
#: The form's inputs; errors about anything else are listed above the form.
INPUTS = ("account_id", "contact_id", *(f"opportunity.{name}" for name in DEAL_FIELDS))
#: What a conversion may create, by its key in the request (and its entity).
CREATED = (("account", "account"), ("contact", "contact"), ("opportunity", "opportunity"))


def required_fields() -> dict[str, list[FieldInfo]]:
    """The required custom fields of what the conversion may create, by its key."""
    return {key: required_custom_fields(entity, key) for key, entity in CREATED}


@dataclass(frozen=True)
class StageOption:
    """A stage the new deal may start in, with its pipeline."""

    pipeline_id: uuid.UUID
    pipeline_name: str
    stage_id: uuid.UUID
    stage_name: str


def matches(entity: str, values: dict[str, Any]) -> list[Any]:
    """The records of ``entity`` the conversion would link for ``values`` (its duplicate
    rule: accounts by domain, else name; contacts by e-mail), within the user's scope."""
    target = find_target(entity)
    if target is None:
        return []
    matcher = Matcher(target, UPDATE)
    key = matcher.key(values)
    return matcher.existing([key]).get(key, []) if key else []


def stage_options() -> list[StageOption]:
    """Every stage a deal may start in (not a lost one), by pipeline, default pipeline first."""
    rows = db.session.execute(
        select(Pipeline.id, Pipeline.name, Stage.id, Stage.name)
        .join(Stage, Stage.pipeline_id == Pipeline.id)
        .where(Stage.kind != LOST)
        .order_by(Pipeline.is_default.desc(), Pipeline.name, Pipeline.id, Stage.position)
    ).all()
    return [StageOption(*row) for row in rows]


def _options(entity: str, found: list[Any], title: str) -> list[tuple[str, str]]:
    """The matched records first, then those the user may pick (the core's select)."""
    matched = [(str(record.id), getattr(record, title)) for record in found]
    offered = {value for value, _text in matched}
    others = choices(FieldInfo(f"{entity}_id", f"{entity}_id", entity, "reference",
                               target=entity))
    return matched + [option for option in others if option[0] not in offered]


def _initial(lead: Lead, accounts: list[Any], contacts: list[Any],
             stages: list[StageOption]) -> MultiDict:
    form = MultiDict({"open_deal": "y", "opportunity.name": lead.company or lead.full_name,
                      "opportunity.currency": tenant_currency()})
    if len(accounts) == 1:
        form["account_id"] = str(accounts[0].id)
    if len(contacts) == 1:
        form["contact_id"] = str(contacts[0].id)
    if stages:
        form["opportunity.stage_id"] = str(stages[0].stage_id)
    return form


def _request_data(form: MultiDict, stages: list[StageOption], extra: dict[str, list[FieldInfo]]
                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The submitted form as the body ``POST leads/<id>/convert`` takes, and what the inputs
    of its ``extra`` custom fields say is wrong (shaped as the API's errors)."""
    data: dict[str, Any] = {key: form[key] for key in ("account_id", "contact_id")
                            if form.get(key)}
    customs, errors = {}, {}
    for key, fields in extra.items():
        linked = key != "opportunity" and form.get(f"{key}_id")  # nothing new to fill in
        if fields and not linked:
            parsed, wrong = parse_form(fields, form, creating=True)
            customs[key] = parsed["custom"]
            if wrong:
                errors[key] = wrong
    data |= {key: {"custom": customs[key]} for key in ("account", "contact") if key in customs}
    if form.get("open_deal"):
        deal = {name: form.get(f"opportunity.{name}", "").strip() for name in DEAL_FIELDS}
        deal = {name: value for name, value in deal.items() if value}
        pipelines = {str(option.stage_id): str(option.pipeline_id) for option in stages}
        if deal.get("stage_id") in pipelines:
            deal["pipeline_id"] = pipelines[deal["stage_id"]]
        if "opportunity" in customs:
            deal["custom"] = customs["opportunity"]
        data["opportunity"] = deal
    else:
        errors.pop("opportunity", None)
    return data, errors


def flat_errors(errors: dict[str, Any]) -> dict[str, list[str]]:
    """The API-shaped ``errors`` keyed by form field (``opportunity.amount``)."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        if isinstance(value, dict):
            for name, messages in flat_errors(value).items():
                flat[f"{key}.{name}"] = messages
        else:
            flat[key] = [str(message) for message in value]
    return flat


def _convert(lead: Lead, form: MultiDict, stages: list[StageOption],
             extra: dict[str, list[FieldInfo]]) -> Outcome:
    data, errors = _request_data(form, stages, extra)
    if errors:
        return Outcome(errors=errors, status=422)
    return attempt(lambda: convert_lead(lead, ConvertLeadSchema().load(data)))


@login_required
def convert_page(record_id: uuid.UUID):
    """Convert a lead into an account, a contact and (if asked) a deal."""
    require(CONVERT_LEADS)
    lead = get_scoped_or_404(Lead, record_id, LEADS)
    accounts = matches("account", {"domain": lead.domain,
                                   "name": lead.company or lead.full_name})
    contacts = matches("contact", {"email": lead.email})
    stages = stage_options()
    extra = required_fields()
    outcome: Outcome = Outcome()
    form = _initial(lead, accounts, contacts, stages)
    if request.method == "POST":  # a converted lead is refused (409) by the service
        form = request.form
        outcome = _convert(lead, form, stages, extra)
        if outcome.ok:
            conversion = outcome.value
            flash(_("Lead converted."), "success")
            if conversion.opportunity_id:
                return redirect(url_for("sales_pages.deal_page",
                                        record_id=conversion.opportunity_id))
            return redirect(url_for("records.record_detail", entity="account",
                                    record_id=conversion.account_id))
    errors = flat_errors(outcome.errors)
    shown = {*INPUTS, *(f"{key}.custom.{field.key}" for key, fields in extra.items()
                        for field in fields)}
    general = [("" if key in ("_form", "_schema") else key, message)
               for key, messages in errors.items() if key not in shown for message in messages]
    return render_template(
        "sales/convert.html", lead=lead, form=form, errors=errors, general=general,
        extra=extra, nested_errors=outcome.errors,
        accounts=_options("account", accounts, "name"), account_matches=len(accounts),
        contacts=_options("contact", contacts, "full_name"), contact_matches=len(contacts),
        stage_groups=[(name, list(options)) for (_id, name), options in
                      groupby(stages, key=lambda option: (option.pipeline_id,
                                                          option.pipeline_name))],
    ), outcome.status


def register(bp: Blueprint) -> None:
    """Add the lead conversion dialog to ``bp``."""
    bp.add_url_rule("/leads/<uuid:record_id>/convert", view_func=convert_page,
                    methods=["GET", "POST"])
