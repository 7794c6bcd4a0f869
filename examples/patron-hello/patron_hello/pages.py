"""The module's page, ``/hello/``, rendered inside the core's layout."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from patron.sdk import db, require, scoped_select
from patron_hello.api import GREETINGS
from patron_hello.models import Greeting

#: Shown on the page; the full list is the API's job.
PAGE_SIZE = 50

bp = Blueprint("hello_pages", __name__, url_prefix="/hello", template_folder="templates")


@bp.route("/")
@login_required
def greetings():
    """The newest greetings the signed-in user may see (their data scope applies)."""
    require(f"{GREETINGS}.read")
    statement = (
        scoped_select(Greeting, GREETINGS).order_by(Greeting.created_at.desc()).limit(PAGE_SIZE)
    )
    return render_template(
        "hello/greetings.html", greetings=db.session.execute(statement).scalars().all()
    )
