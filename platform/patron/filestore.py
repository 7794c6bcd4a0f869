"""Uploaded files on disk, under ``PATRON_HOME`` (attachments, CSV files being imported).

A file and the database row that names it must not drift apart when a request fails
(DESIGN.md invariant 5: a failed request changes nothing): a new file is removed again if the
transaction rolls back, and a discarded file is removed only once the transaction commits.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import BinaryIO, NoReturn

from flask import abort, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from patron.db import db

CHUNK_BYTES = 64 * 1024
#: ``session.info`` keys: files to remove if the transaction rolls back / once it commits.
WRITTEN = "patron_files_written"
DISCARDED = "patron_files_discarded"


#: Room for the multipart framing and form fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def largest_body_bytes() -> int:
    """The most of any request body Patron reads: its largest upload, plus the framing.

    Set on every request before anything reads a form (the CSRF check does), so no route
    reads an unbounded body; upload routes lower it to their own limit.
    """
    config = current_app.config
    return (max(config["PATRON_UPLOAD_MAX_BYTES"], config["PATRON_IMPORT_MAX_BYTES"])
            + MULTIPART_OVERHEAD_BYTES)


def refuse_too_large(max_bytes: int, setting: str) -> NoReturn:
    """Answer 413: the upload is over ``max_bytes`` (set by ``setting``); nothing was kept."""
    abort(413, description=f"the file is larger than {max_bytes} bytes, the limit {setting} "
          "sets; nothing was stored")


class FileTooLarge(ValueError):
    """The upload exceeded the size limit; nothing of it was kept."""


def stored_path(*parts: str | uuid.UUID) -> Path:
    """``PATRON_HOME/<parts…>``: where a stored file lives."""
    return Path(current_app.config["PATRON_HOME"]).joinpath(*map(str, parts))


def write_file(path: Path, stream: BinaryIO, max_bytes: int) -> int:
    """Copy ``stream`` to ``path`` and return its size; :class:`FileTooLarge` past the limit.

    The file is written next to its final name and renamed when complete, so a reader never
    sees half a file; it is removed again if the current transaction rolls back.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.part")
    size = 0
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(f"more than {max_bytes} bytes")
                out.write(chunk)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    _remember(WRITTEN, path)
    return size


def discard_file(path: Path) -> None:
    """Remove ``path`` once the current transaction commits (and keep it if it rolls back)."""
    _remember(DISCARDED, path)


def _remember(key: str, path: Path) -> None:
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
    db.session.info.setdefault(key, []).append(path)


def _remove(session: Session, key: str) -> None:
    for path in session.info.pop(key, []):
        path.unlink(missing_ok=True)


def _after_commit(session: Session) -> None:
    session.info.pop(WRITTEN, None)
    _remove(session, DISCARDED)


def _after_rollback(session: Session) -> None:
    session.info.pop(DISCARDED, None)
    _remove(session, WRITTEN)
