"""Reporting a running import's progress where ``GET /imports/<id>`` can read it.

Progress is written through a session of its own (its own connection) and committed at once,
so readers see it while the import's transaction, which holds every written record until the
end, is still open. That needs a database on which a second connection may write meanwhile.
PostgreSQL allows it. SQLite has one writer at a time: there progress is reported during the
validation pass, which writes nothing else, and the import pass shows its status only until
it commits (a second writer would wait for the import's lock, then fail).
"""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.orm import Session

from patron.db import db
from patron.db.mixins import utcnow
from patron.db.postgres import install_rls_setting, is_postgres
from patron.db.tenant_scope import install_tenant_scoping
from patron.imports.models import ImportJob


class Progress:
    """Writes the state of one running import, each report in a transaction of its own."""

    def __init__(self, job_id: uuid.UUID) -> None:
        self.job_id = job_id
        #: Whether reports can be written while the import's own transaction writes.
        self.beside_writes = is_postgres(db.engine)

    def report(self, *, writing: bool = False, **values) -> None:
        """Set ``values`` on the job (and refresh its heartbeat); ``writing`` says that the
        import's transaction holds writes, when SQLite cannot take a report."""
        if writing and not self.beside_writes:
            return
        with Session(db.engine) as session:
            install_tenant_scoping(session)
            install_rls_setting(session)
            session.execute(update(ImportJob).where(ImportJob.id == self.job_id)
                            .values(heartbeat_at=utcnow(), **values))
            session.commit()
