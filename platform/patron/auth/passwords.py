"""Password hashing with scrypt (Werkzeug's default; memory-hard like argon2)."""

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of ``password``."""
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for users without a password)."""
    return bool(password_hash) and check_password_hash(password_hash, password)
