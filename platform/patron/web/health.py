"""``/healthz`` (the process is up) and ``/readyz`` (database reachable, migrations current)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from patron.db.migrations import pending_migrations

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """Liveness: answers while the process runs."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    """Readiness: 503 when the database cannot be reached or migrations are behind."""
    try:
        pending = pending_migrations()
    except Exception as error:  # any database failure means "not ready"
        return jsonify(status="unavailable", detail=type(error).__name__), 503
    if pending:
        return jsonify(status="migrations pending", pending=sorted(pending)), 503
    return jsonify(status="ok")
