"""What the pipeline board shows: a pipeline's stages as columns, each with its totals and
the deals in it the user may see (the most recently moved first, a bounded number per
column). Totals and the per-column limit are computed in SQL; for a user whose role hides
the deals' amount, the columns count deals and no amount is summed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from patron.sdk import Account, db, scoped_select
from patron_sales.models.deals import Opportunity, Pipeline, Stage
from patron_sales.permissions import OPPORTUNITIES
from patron_sales.services.pipelines import stages_of
from patron_sales.services.reports import amounts_visible

#: Deals shown per column; the rest are on the opportunities list, filtered by stage.
CARDS_PER_COLUMN = 50


@dataclass
class Column:
    """One stage of the board."""

    stage: Stage
    count: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)  # currency -> amount
    deals: list[Opportunity] = field(default_factory=list)


def board(pipeline: Pipeline) -> list[Column]:
    """The columns of ``pipeline``'s board, for the signed-in user."""
    columns = {stage.id: Column(stage) for stage in stages_of(pipeline.id)}
    deals = scoped_select(Opportunity, OPPORTUNITIES).where(
        Opportunity.pipeline_id == pipeline.id)
    sums = [func.sum(Opportunity.amount)] if amounts_visible() else []
    totals = db.session.execute(
        deals.with_only_columns(Opportunity.stage_id, Opportunity.currency,
                                func.count(Opportunity.id), *sums, maintain_column_froms=True)
        .group_by(Opportunity.stage_id, Opportunity.currency)
        .order_by(Opportunity.stage_id, Opportunity.currency)
    ).all()
    for stage_id, currency, count, *amount in totals:
        columns[stage_id].count += count
        if amount:
            columns[stage_id].totals[currency] = Decimal(str(amount[0]))
    rank = func.row_number().over(partition_by=Opportunity.stage_id,
                                  order_by=(Opportunity.stage_entered_at.desc(),
                                            Opportunity.id.desc())).label("rank")
    ranked = deals.with_only_columns(Opportunity.id, rank, maintain_column_froms=True).subquery()
    shown = db.session.execute(
        select(Opportunity).join(ranked, ranked.c.id == Opportunity.id)
        .where(ranked.c.rank <= CARDS_PER_COLUMN)
        .order_by(Opportunity.stage_entered_at.desc(), Opportunity.id.desc())
    ).scalars()
    for deal in shown:
        columns[deal.stage_id].deals.append(deal)
    return list(columns.values())


def account_names(ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the accounts ``ids`` (one query)."""
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Account.id, Account.name).where(Account.id.in_(ids))).all())
