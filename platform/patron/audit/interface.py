"""Which interface an action came through: web, api, cli or worker."""

from __future__ import annotations

from contextvars import ContextVar

from flask import has_request_context, request

_interface: ContextVar[str | None] = ContextVar("patron_interface", default=None)


def set_interface(name: str) -> None:
    """Declare the interface of this process or thread (``cli``, ``worker``)."""
    _interface.set(name)


def current_interface() -> str:
    """``api`` or ``web`` inside a request, else what the process declared (``system``)."""
    if has_request_context():
        return "api" if request.path.startswith("/api/") else "web"
    return _interface.get() or "system"
