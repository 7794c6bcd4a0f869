"""The module's tables (``service_*``, in the Alembic branch ``service``), one module per
area: the service desk (:mod:`.tickets`), SLA policies and the business calendar
(:mod:`.sla`), field work (:mod:`.field_work`), the knowledge base (:mod:`.knowledge`) and
service contracts (:mod:`.contracts`).

Every table leads its keys and indexes with ``tenant_id`` and refers to other tenant-owned
rows through ``tenant_fk`` (DESIGN.md invariant 1).
"""

from __future__ import annotations

from patron_service.models import contracts, field_work, knowledge, sla, tickets

#: Every table of the module, for the isolation and schema checks.
MODELS = [*tickets.MODELS, *sla.MODELS, *field_work.MODELS, *knowledge.MODELS,
          *contracts.MODELS]
