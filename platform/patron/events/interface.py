"""Which interface an action came through: web, api, cli or worker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request

_interface: ContextVar[str | None] = ContextVar("patron_interface", default=None)


@contextmanager
def acting_through(name: str) -> Iterator[None]:
    """Declare the interface (``cli``, ``worker``) of what runs inside the block."""
    token = _interface.set(name)
    try:
        yield
    finally:
        _interface.reset(token)


def current_interface() -> str:
    """``api`` or ``web`` inside a request, else what the process declared (``system``)."""
    if has_request_context():
        return "api" if request.path.startswith("/api/") else "web"
    return _interface.get() or "system"
