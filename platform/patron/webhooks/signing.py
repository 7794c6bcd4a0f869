"""Webhook secrets and signatures.

A receiver checks a delivery by recomputing
``HMAC-SHA256(secret, f"{X-Patron-Timestamp}.{raw body}")`` and comparing its hex digest with
the ``X-Patron-Signature`` header (``sha256=<hex>``) in constant time; rejecting timestamps far
from its own clock stops replays of captured requests.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_SCHEME = "sha256"


def generate_secret() -> str:
    """A new random signing secret (256 bits, URL-safe text)."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Patron-Signature`` value for ``body`` sent at ``timestamp`` (unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_SCHEME}={digest}"
