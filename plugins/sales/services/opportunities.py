"""Opportunities: created in a pipeline's stage, moved through its stages with every move
recorded (:class:`~patron_sales.models.deals.StageVisit`), won or lost by reaching a stage of that
kind. Emits ``opportunity.stage_changed``, ``opportunity.won`` and ``opportunity.lost``; a
won deal gets its order.

The ``opportunity.created|updated|deleted`` events come from the core's record operations,
which call :func:`create_opportunity`, :func:`update_opportunity` and
:func:`delete_opportunity` through the spec. Each keeps the forecast's and the funnel's totals
in step (:mod:`patron_sales.services.report_totals`) in the same transaction.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from patron.sdk import (
    ValidationFailed,
    acting_user_id,
    check_reference,
    db,
    emit,
    new_id,
    tenant_currency,
    utcnow,
)
from patron_sales.models.deals import (
    LOST,
    OPEN,
    WON,
    Opportunity,
    OpportunityLine,
    Pipeline,
    Stage,
    StageVisit,
)
from patron_sales.schemas.deals import OpportunitySchema
from patron_sales.services.orders import order_for_won_deal
from patron_sales.services.pipelines import pipeline_or_default
from patron_sales.services.pricing import check_price_list, total_of
from patron_sales.services.report_totals import tracked


def _stage(pipeline: Pipeline, stage_id: uuid.UUID | None) -> Stage:
    """The stage ``stage_id`` of ``pipeline``, or its first open stage when none is named."""
    statement = select(Stage).where(Stage.pipeline_id == pipeline.id)
    if stage_id is None:
        statement = statement.where(Stage.kind == OPEN).order_by(Stage.position, Stage.id)
    else:
        statement = statement.where(Stage.id == stage_id)
    stage = db.session.execute(statement.limit(1)).scalar_one_or_none()
    if stage is None:
        raise ValidationFailed({"stage_id": [
            "No such stage in the pipeline." if stage_id else "The pipeline has no open stage."]})
    return stage


def _furthest(opportunity: Opportunity, stage: Stage) -> uuid.UUID | None:
    """The furthest non-lost stage of its pipeline the deal has reached, ``stage`` included
    (kept on the deal so the funnel counts deals without reading their history)."""
    if stage.pipeline_id != opportunity.pipeline_id or opportunity.furthest_stage_id is None:
        return None if stage.kind == LOST else stage.id
    if stage.kind == LOST:
        return opportunity.furthest_stage_id
    reached = db.session.execute(
        select(Stage.position).where(Stage.id == opportunity.furthest_stage_id)
    ).scalar_one()
    return stage.id if stage.position > reached else opportunity.furthest_stage_id


def _enter(opportunity: Opportunity, stage: Stage, probability: int | None) -> None:
    """Put ``opportunity`` in ``stage`` now, recording the visit."""
    now = utcnow()
    opportunity.furthest_stage_id = _furthest(opportunity, stage)
    opportunity.stage_id = stage.id
    opportunity.pipeline_id = stage.pipeline_id
    opportunity.status = stage.kind
    opportunity.probability = stage.probability if probability is None else probability
    opportunity.stage_entered_at = now
    opportunity.stalled_at = None
    opportunity.closed_at = None if stage.kind == OPEN else now
    db.session.flush()  # the deal's row first: the visit refers to it
    db.session.add(StageVisit(opportunity_id=opportunity.id, stage_id=stage.id,
                              entered_at=now, moved_by=acting_user_id()))


def create_opportunity(data: dict) -> Opportunity:
    """A new deal of the signed-in user, in the named (or first open) stage."""
    check_reference("account_id", "account", data["account_id"])
    pipeline = pipeline_or_default(data.pop("pipeline_id", None))
    stage = _stage(pipeline, data.pop("stage_id", None))
    probability = data.pop("probability", None)
    _typed_amount(data)
    opportunity = Opportunity(id=new_id(), owner_id=acting_user_id(), **data)
    if opportunity.currency is None:
        opportunity.currency = tenant_currency()
    check_price_list(opportunity.price_list_id, opportunity.currency)
    with tracked(opportunity, new=True):
        db.session.add(opportunity)
        _enter(opportunity, stage, probability)
    return opportunity


def _typed_amount(data: dict) -> None:
    """An amount typed in is the deal's amount from then on: the lines no longer change it,
    unless the same change says they do (``amount_from_lines``)."""
    if "amount" in data and "amount_from_lines" not in data:
        data["amount_from_lines"] = False


def update_opportunity(opportunity: Opportunity, data: dict) -> None:
    """Apply ``data``; a new stage (or pipeline) is a move, recorded and announced. Asking for
    the amount from the lines sets it to their sum at once."""
    _typed_amount(data)
    if "account_id" in data:
        check_reference("account_id", "account", data["account_id"])
    if "price_list_id" in data or "currency" in data:
        check_price_list(data.get("price_list_id", opportunity.price_list_id),
                         data.get("currency", opportunity.currency))
    pipeline_id = data.pop("pipeline_id", opportunity.pipeline_id)
    stage_id = data.pop("stage_id", None)
    moving = pipeline_id != opportunity.pipeline_id or (
        stage_id is not None and stage_id != opportunity.stage_id)
    probability = data.pop("probability", None)
    stage = _stage(pipeline_or_default(pipeline_id), stage_id) if moving else None
    with tracked(opportunity):
        for key, value in data.items():
            setattr(opportunity, key, value)
        if data.get("amount_from_lines") and "amount" not in data:
            total = total_of(OpportunityLine, OpportunityLine.opportunity_id, opportunity.id)
            if total is not None:
                opportunity.amount = total
        if stage is not None:
            move(opportunity, stage, probability)
        elif probability is not None:
            opportunity.probability = probability


def delete_opportunity(opportunity: Opportunity) -> None:
    """Delete the deal (its history, contacts, team, lines and competitors go with it) and
    take it out of the report totals."""
    with tracked(opportunity):
        db.session.delete(opportunity)


def win_on_accepted_quote(opportunity_id: uuid.UUID) -> None:
    """Move the open deal to its pipeline's won stage when the pipeline wins deals on an
    accepted quote (nothing for a closed deal, or a pipeline that does not)."""
    found = db.session.execute(
        select(Opportunity, Pipeline.win_on_quote_accept)
        .join(Pipeline, Pipeline.id == Opportunity.pipeline_id)
        .where(Opportunity.id == opportunity_id)).one_or_none()
    if found is None or not found[1] or found[0].status != OPEN:
        return
    opportunity = found[0]
    won = db.session.execute(select(Stage).where(
        Stage.pipeline_id == opportunity.pipeline_id, Stage.kind == WON
    ).order_by(Stage.position).limit(1)).scalar_one_or_none()
    if won is not None:
        with tracked(opportunity):
            move(opportunity, won)


def move(opportunity: Opportunity, stage: Stage, probability: int | None = None) -> None:
    """Move ``opportunity`` to ``stage``: close the current visit, open the next, and emit
    ``opportunity.stage_changed`` (plus ``opportunity.won`` or ``.lost`` on closing). A won
    deal without an order gets one (:func:`patron_sales.services.orders.order_for_won_deal`).

    The caller keeps the report totals in step (:func:`~patron_sales.services.report_totals.tracked`
    around the move, as :func:`update_opportunity` does)."""
    previous_stage = opportunity.stage_id
    db.session.execute(
        update(StageVisit)
        .where(StageVisit.opportunity_id == opportunity.id, StageVisit.exited_at.is_(None))
        .values(exited_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    _enter(opportunity, stage, probability)
    db.session.flush()
    emit("opportunity.stage_changed", {
        "id": str(opportunity.id), "from_stage_id": str(previous_stage),
        "to_stage_id": str(stage.id), "pipeline_id": str(stage.pipeline_id),
        "status": opportunity.status, "owner_id": str(opportunity.owner_id),
        "changes": {"stage_id": [str(previous_stage), str(stage.id)]},
    })
    if opportunity.status != OPEN:
        emit(f"opportunity.{opportunity.status}", OpportunitySchema().dump(opportunity))
    if opportunity.status == WON:
        order_for_won_deal(opportunity)


def history_of(opportunity: Opportunity) -> list[StageVisit]:
    """The deal's stays in its stages, oldest first."""
    return list(db.session.execute(
        select(StageVisit).where(StageVisit.opportunity_id == opportunity.id)
        .order_by(StageVisit.entered_at, StageVisit.id)
    ).scalars())
