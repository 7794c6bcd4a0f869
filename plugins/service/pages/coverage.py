"""``/service/coverage?account_id=&product_id=``: the live panel of the ticket form (added to
the core's record form through ``patron_record_form_panels``, see
:mod:`patron_service.hooks`) that says whether the chosen customer is covered.

An account the user cannot read (or none, or no such one) answers an empty panel, the same
as for an account that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from patron.sdk import require
from patron_service.pages.inputs import parse_id
from patron_service.permissions import TICKETS
from patron_service.services.coverage import customer_coverage

bp = Blueprint("coverage", __name__)


@bp.route("/service/coverage")
@login_required
def coverage_panel():
    """The coverage of the account (and product) sent, as an HTML fragment."""
    require(f"{TICKETS}.read")
    coverage = customer_coverage(parse_id(request.args.get("account_id")),
                                 parse_id(request.args.get("product_id")))
    return render_template("service/_coverage.html", coverage=coverage)
