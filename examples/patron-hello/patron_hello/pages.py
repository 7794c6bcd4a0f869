"""The module's page, ``/hello/``, rendered inside the core's layout."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from patron.sdk import require
from patron_hello.services import GREETINGS, newest_greetings

#: Shown on the page; the full list is the API's job.
PAGE_SIZE = 50

bp = Blueprint("hello_pages", __name__, url_prefix="/hello", template_folder="templates")


@bp.route("/")
@login_required
def greetings():
    """The newest greetings the signed-in user may see."""
    require(f"{GREETINGS}.read")
    return render_template("hello/greetings.html", greetings=newest_greetings(PAGE_SIZE))
