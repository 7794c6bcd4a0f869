"""Thin API clients for tests: a Flask test client plus a bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient


@dataclass
class ApiClient:
    """Calls ``/api/v1`` as one user. Paths are relative to ``/api/v1``."""

    client: FlaskClient
    token: str
    user_id: str | None = None

    def _call(self, method: str, path: str, **kwargs: Any):
        return self.open(f"/api/v1{path}", method=method, **kwargs)

    def open(self, url: str, method: str = "GET", **kwargs: Any):
        """Request any URL (a page, say) with this user's bearer token."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        return self._call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any):
        return self._call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any):
        return self._call("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any):
        return self._call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self._call("DELETE", path, **kwargs)
