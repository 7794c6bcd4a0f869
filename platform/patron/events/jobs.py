"""Scheduled jobs: declared through ``patron_register_jobs``, run by ``patron worker``.

Each job runs for every active tenant that has enabled the module declaring it (the core's
jobs for every active tenant; DESIGN.md invariant 3), always inside that tenant's context, and
at most once per interval: a run is claimed by a conditional UPDATE of the tenant's
``job_runs`` row before it starts, so several workers never run the same interval twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, UniqueConstraint, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from patron.db import TenantScoped, db, require_tenant_id, tenant_context
from patron.db.types import UTCDateTime
from patron.plugins.manager import CORE_PLUGIN, PluginError, registrations_by_plugin
from patron.plugins.services import is_enabled
from patron.tenancy.models import Tenant

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """Work to do every ``every_seconds`` for each tenant; ``run`` takes no arguments and
    finds its tenant in context (see :func:`patron.db.current_tenant_id`)."""

    name: str
    every_seconds: float
    run: Callable[[], None]

    def execute(self) -> None:
        """Run the job for the tenant in context; :class:`TenantContextMissing` with none."""
        require_tenant_id()
        self.run()


class JobRun(TenantScoped):
    """When a job last started for one tenant."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(100))
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "job"),)


def scheduled_jobs() -> dict[str, tuple[str, Job]]:
    """Every declared job by name, with the module (plugin name) that declared it.

    Two jobs with one name would share their run records, so that is refused.
    """
    jobs: dict[str, tuple[str, Job]] = {}
    for plugin_name, job in registrations_by_plugin("patron_register_jobs"):
        if job.name in jobs:
            raise PluginError(f"job {job.name!r} is declared twice")
        jobs[job.name] = (plugin_name, job)
    return jobs


def claim_run(job: Job, now: datetime) -> bool:
    """Record that ``job`` starts ``now`` for the current tenant, unless it started less than
    an interval ago (here or in another worker); commits, and returns whether it may run."""
    exists = db.session.execute(select(JobRun.id).where(JobRun.job == job.name)).first()
    if exists is None:
        db.session.add(JobRun(job=job.name))
        try:
            db.session.flush()
        except IntegrityError:  # another worker recorded the first run a moment ago
            db.session.rollback()
    due = now - timedelta(seconds=job.every_seconds)
    claimed = db.session.execute(
        update(JobRun)
        .where(JobRun.job == job.name,
               or_(JobRun.last_run_at.is_(None), JobRun.last_run_at <= due))
        .values(last_run_at=now)
    ).rowcount == 1
    db.session.commit()
    return claimed


def _run(job: Job) -> bool:
    try:
        job.execute()
        db.session.commit()
    except Exception:  # one failing job must not stop the others; it runs again next interval
        db.session.rollback()
        log.exception("job %s failed for tenant %s", job.name, require_tenant_id())
        return False
    return True


def run_due_jobs(now: datetime) -> int:
    """Run the jobs due at ``now`` for every active tenant that has their module enabled.

    Returns how many runs completed. Needs an app context; every tenant gets a fresh session.
    """
    jobs = scheduled_jobs()
    if not jobs:
        return 0
    tenant_ids = db.session.execute(
        select(Tenant.id).where(Tenant.status == "active").order_by(Tenant.id)
    ).scalars().all()
    db.session.remove()
    completed = 0
    for tenant_id in tenant_ids:
        with tenant_context(tenant_id):
            try:
                for module, job in jobs.values():
                    if (module == CORE_PLUGIN or is_enabled(module)) and claim_run(job, now):
                        completed += _run(job)
            finally:
                db.session.remove()
    return completed
