"""``/records/<entity>/export``: what a list page shows, with its filters and sort, as a CSV
file (every matching record, not only the page on screen).

The query string is the list page's own, read as the list reads it
(:func:`~patron.web.list_query.list_args`: a day typed into a date-and-time range is that day
in the tenant's time zone), and the file is written by the API's export
(:class:`~patron.imports.exports.Export`), so it imports again.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, stream_with_context
from flask_babel import gettext as _
from flask_login import login_required

from patron.errors import ValidationFailed
from patron.imports.exports import PAGE_SIZE, Export
from patron.imports.target import find_target
from patron.web.fields import page_spec, record_fields
from patron.web.list_query import list_args, list_url

bp = Blueprint("record_exports", __name__, url_prefix="/records")


@bp.route("/<entity>/export")
@login_required
def export_list(entity: str):
    """Download the list of ``entity``'s records as the query filters and sorts it."""
    spec = page_spec(entity, "read")
    target = find_target(entity)
    if target is None:
        abort(404)
    args = list_args(request.args, record_fields(spec), PAGE_SIZE)
    try:
        chunks = Export(target, args).chunks()
    except ValidationFailed:
        flash(_("The list's filters are not valid, so nothing was exported."), "danger")
        return redirect(list_url(entity, request.args.to_dict()))
    return Response(stream_with_context(chunks), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{spec.name}.csv"'})
