"""Helpers every page template may call, registered app-wide by the core's web blueprint."""

from __future__ import annotations

from flask import Blueprint

from patron.i18n import LANGUAGES
from patron.rbac.field_security import hidden_fields
from patron.web.display import money, show
from patron.web.fields import choices
from patron.web.labels import label
from patron.web.links import record_url
from patron.web.messages import translated
from patron.web.pickers import picked_title
from patron.web.record_forms import errors_for, grid_name, other_errors


def field_visible(entity: str, name: str) -> bool:
    """Whether the signed-in user's role lets them see field ``name`` of ``entity``'s records
    (``custom.<name>`` for a custom field): for templates that show a record's fields one by
    one rather than through its secured schema."""
    return name not in hidden_fields(entity)


def install_template_helpers(bp: Blueprint) -> None:
    """Make the helpers Jinja globals of every app ``bp`` is registered on."""
    for helper in (show, choices, picked_title, label, translated, errors_for, other_errors,
                   field_visible, grid_name, record_url, money):
        bp.add_app_template_global(helper)
    bp.add_app_template_global(LANGUAGES, "languages")
