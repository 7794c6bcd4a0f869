"""What a view declares about the requests it takes, read before anything reads a body.

Every request body is bounded by ``PATRON_BODY_MAX_BYTES`` (1 MiB by default) unless its view
takes files (:func:`takes_files`: attachments and imports, bounded by their own limits). A
body is refused unread from someone who is not signed in when the view is an API route or
takes files, unless the view is public (:func:`public_endpoint`: exchanging a password for a
token). So an anonymous client cannot make a worker parse and validate a large body: the
check costs one look at the request line and headers (``patron.app.configure_security``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request

View = TypeVar("View", bound=Callable[..., Any])

#: The attributes a view carries (decorators that use ``functools.wraps`` keep them).
TAKES_FILES = "patron_takes_files"
PUBLIC = "patron_public_endpoint"


def takes_files(view: View) -> View:
    """Mark ``view`` as taking uploaded files: its body may be as large as the largest upload
    or import (``PATRON_UPLOAD_MAX_BYTES``, ``PATRON_IMPORT_MAX_BYTES``), from a signed-in
    user only."""
    setattr(view, TAKES_FILES, True)
    return view


def public_endpoint(view: View) -> View:
    """Mark an API ``view`` as answering anonymous requests with a body (signing in)."""
    setattr(view, PUBLIC, True)
    return view


def declared(view: Callable | None, attribute: str) -> bool:
    """Whether ``view`` (``None``: no route matched), or the class-based view it was made
    from (``as_view``), carries ``attribute``."""
    return bool(getattr(view, attribute, False)
                or getattr(getattr(view, "view_class", None), attribute, False))


def has_body() -> bool:
    """Whether the request carries a body (a length, or chunks of one)."""
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()
