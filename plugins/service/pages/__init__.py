"""The module's pages (``templates/service/``): the public support form, the dispatch board,
a technician's day, the ticket page, the coverage panel of the ticket form and the reports.

Each page has its own blueprint, nested in :data:`bp` (``service_pages``): the core gates them
all by its name, and each page names its own routes relative to itself (``.dispatch_board``).
The views go through the same services and record operations as the API.
"""

from __future__ import annotations

from flask import Blueprint

from patron_service.pages import coverage, dispatch, my_jobs, reports, support, ticket

bp = Blueprint("service_pages", __name__, template_folder="../templates")
for page in (support, dispatch, my_jobs, reports, ticket, coverage):
    bp.register_blueprint(page.bp)
