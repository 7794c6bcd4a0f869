"""Links in mail: a mail is read outside the application, so its links are absolute."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` for a mail: under ``PATRON_BASE_URL`` when it is
    set (the address people reach the instance by, behind a proxy), else under the address
    of the current request."""
    base = current_app.config["PATRON_BASE_URL"] or request.host_url
    return base.rstrip("/") + url_for(endpoint, **values)
