"""The module's scheduled jobs, run by ``patron worker`` for every tenant that enabled it."""

from __future__ import annotations

from patron.sdk import Job
from patron_service.services.sla_watch import watch_slas

#: SLA targets are minutes apart: look every five minutes.
SLA_WATCH_SECONDS = 300

JOBS = [Job("service.sla_watch", every_seconds=SLA_WATCH_SECONDS, run=watch_slas)]
