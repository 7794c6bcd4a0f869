"""Password hashing with scrypt (Werkzeug's default; memory-hard like argon2).

The Flask setting ``PATRON_PASSWORD_HASH_METHOD`` (not an environment variable: no
deployment should weaken it) names another Werkzeug method; the test kit sets a cheap one so
that every tenant and user a test makes does not cost a fifth of a second. Verification reads
the method from the stored hash, so hashes of either method are accepted.
"""

import functools

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
DEFAULT_METHOD = "scrypt"


def hash_method() -> str:
    """The Werkzeug method new hashes use: scrypt unless the app's config names another."""
    if not has_app_context():
        return DEFAULT_METHOD
    return current_app.config.get("PATRON_PASSWORD_HASH_METHOD") or DEFAULT_METHOD


def hash_password(password: str) -> str:
    """Return a salted hash of ``password`` (scrypt in production, see :func:`hash_method`)."""
    return generate_password_hash(password, method=hash_method())


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for users without a password)."""
    return bool(password_hash) and check_password_hash(password_hash, password)


@functools.cache
def _stand_in_hash(method: str) -> str:
    """A hash of a password nobody has, made once per method (a process's first failed
    sign-in pays for it)."""
    return generate_password_hash("no-such-user stand-in", method=method)


def verify_nobody(password: str) -> None:
    """Spend on a sign-in for an unknown organisation or e-mail what checking a real
    password would, so its answer does not come sooner and tell that the account does not
    exist."""
    check_password_hash(_stand_in_hash(hash_method()), password)
