"""Links in mail and notifications: a mail is read outside the application, so its links are
absolute; the worker has no request to take the site's address from, so its links are
built from the URL map and ``PATRON_BASE_URL``."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for


def page_path(endpoint: str, **values: Any) -> str:
    """The path of ``endpoint`` (``/sales/deals/<id>``), in a request or out of one (a job
    of the worker, where ``url_for`` needs a server name)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` for a mail: under ``PATRON_BASE_URL`` when it is
    set (the address people reach the instance by, behind a proxy; the worker needs it),
    else under the address of the current request."""
    base = current_app.config["PATRON_BASE_URL"] or (
        request.host_url if has_request_context() else "")
    return base.rstrip("/") + page_path(endpoint, **values)
