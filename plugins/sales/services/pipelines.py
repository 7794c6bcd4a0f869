"""Pipelines and their stages: the classic funnel every tenant starts with, and the rules
that keep a pipeline usable (a default one, stages in order, none removed while in use).

Nothing here commits: the request (or the module switch) does.
"""

from __future__ import annotations

import uuid

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update

from patron.sdk import Conflict, Rules, ValidationFailed, current_tenant, db
from patron_sales.models.deals import (
    LOST,
    OPEN,
    WON,
    Opportunity,
    Pipeline,
    Stage,
    StageVisit,
    stages_by_pipeline,
)

#: The classic funnel (issue 4): name, win probability (%), kind. The names are seeded in
#: the tenant's language (they are the tenant's data from then on, renamed at will).
CLASSIC_FUNNEL = (
    (_l("Initial contact"), 5, OPEN),
    (_l("Interest shown"), 15, OPEN),
    (_l("Meeting the decision maker"), 30, OPEN),
    (_l("Needs identified"), 40, OPEN),
    (_l("Solution proposed"), 50, OPEN),
    (_l("Demonstration"), 60, OPEN),
    (_l("Evaluation and revision"), 70, OPEN),
    (_l("Verbal commitment"), 80, OPEN),
    (_l("Contract negotiation"), 90, OPEN),
    (_l("Won"), 100, WON),
    (_l("Lost"), 0, LOST),
)
DEFAULT_PIPELINE_NAME = _l("Sales")


def _exists(criterion) -> bool:
    return db.session.execute(select(exists().where(criterion))).scalar()


def stages_of(pipeline_id: uuid.UUID) -> list[Stage]:
    """The stages of a pipeline in order."""
    return stages_by_pipeline([pipeline_id]).get(pipeline_id, [])


def _add_stages(pipeline: Pipeline, stages: list[dict]) -> None:
    for position, stage in enumerate(stages, start=1):
        db.session.add(Stage(pipeline_id=pipeline.id, position=position, **stage))


def classic_stages() -> list[dict]:
    """The classic funnel as stage data, named in the current language."""
    return [{"name": str(name), "probability": probability, "kind": kind}
            for name, probability, kind in CLASSIC_FUNNEL]


def seed_default_pipeline() -> Pipeline:
    """The tenant's default pipeline, created with the classic funnel if it has none.

    Idempotent: enabling the module again keeps the pipelines the tenant already shaped.
    """
    existing = default_pipeline()
    if existing is not None:
        return existing
    with force_locale(current_tenant().locale):
        pipeline = Pipeline(name=str(DEFAULT_PIPELINE_NAME), is_default=True)
        db.session.add(pipeline)
        db.session.flush()
        _add_stages(pipeline, classic_stages())
    db.session.flush()
    return pipeline


def default_pipeline() -> Pipeline | None:
    """The pipeline new deals go to when none is named (the oldest if none is marked)."""
    return db.session.execute(
        select(Pipeline).order_by(Pipeline.is_default.desc(), Pipeline.id).limit(1)
    ).scalar_one_or_none()


def pipeline_or_default(pipeline_id: uuid.UUID | None) -> Pipeline:
    """The pipeline ``pipeline_id`` (the default one when ``None``); 422 if there is none."""
    if pipeline_id is None:
        pipeline = default_pipeline()
        if pipeline is None:
            raise ValidationFailed({"pipeline_id": ["There is no pipeline yet."]})
        return pipeline
    pipeline = db.session.execute(
        select(Pipeline).where(Pipeline.id == pipeline_id)
    ).scalar_one_or_none()
    if pipeline is None:
        raise ValidationFailed({"pipeline_id": ["No such pipeline."]})
    return pipeline


def _make_default(pipeline: Pipeline) -> None:
    db.session.execute(
        update(Pipeline).where(Pipeline.id != pipeline.id, Pipeline.is_default.is_(True))
        .values(is_default=False, version=Pipeline.version + 1),
        execution_options={"synchronize_session": False},
    )


def _check_stage_list(stages: list[dict]) -> None:
    kinds = {stage.get("kind", OPEN) for stage in stages}
    if OPEN not in kinds:
        raise ValidationFailed({"stages": ["A pipeline needs at least one open stage."]})


def create_pipeline(data: dict) -> Pipeline:
    """A new pipeline with the given stages (default: a copy of the classic funnel)."""
    stages = data.pop("stages", None) or classic_stages()
    _check_stage_list(stages)
    pipeline = Pipeline(**data)
    db.session.add(pipeline)
    db.session.flush()
    if pipeline.is_default:
        _make_default(pipeline)
    _add_stages(pipeline, stages)
    db.session.flush()
    return pipeline


def update_pipeline(pipeline: Pipeline, data: dict) -> None:
    """Rename a pipeline or make it the default (there is always exactly one default)."""
    if "stages" in data:
        raise ValidationFailed({"stages": ["Change stages through /stages."]})
    if data.get("is_default") is False and pipeline.is_default:
        raise ValidationFailed({"is_default": ["Make another pipeline the default instead."]})
    for key, value in data.items():
        setattr(pipeline, key, value)
    db.session.flush()
    if pipeline.is_default:
        _make_default(pipeline)


def delete_pipeline(pipeline: Pipeline) -> None:
    """Delete a pipeline and its stages; refused while it is the default or has deals."""
    if pipeline.is_default:
        raise Conflict("the default pipeline cannot be deleted; make another one the default")
    if _exists(Opportunity.pipeline_id == pipeline.id):
        raise Conflict("the pipeline still has opportunities; move or delete them first")
    for stage in stages_of(pipeline.id):
        db.session.delete(stage)
    db.session.delete(pipeline)
    db.session.flush()


# ---- stages ----------------------------------------------------------------------------------


def _place(data: dict) -> None:
    """Put a new stage last in its pipeline (the default pipeline when none is named)."""
    data["pipeline_id"] = pipeline_or_default(data.get("pipeline_id")).id
    if data.get("position") is None:
        last = db.session.execute(
            select(func.max(Stage.position)).where(Stage.pipeline_id == data["pipeline_id"])
        ).scalar()
        data["position"] = (last or 0) + 1


def _check_change(stage: Stage, data: dict) -> None:
    """A stage stays in its pipeline, which keeps an open stage; deals in it keep its kind."""
    if "pipeline_id" in data and data["pipeline_id"] != stage.pipeline_id:
        raise ValidationFailed({"pipeline_id": ["A stage cannot move to another pipeline."]})
    if data.get("kind", stage.kind) != OPEN and stage.kind == OPEN:
        others = [s for s in stages_of(stage.pipeline_id) if s.id != stage.id]
        if not any(s.kind == OPEN for s in others):
            raise ValidationFailed({"kind": ["A pipeline needs at least one open stage."]})
    if data.get("kind", stage.kind) != stage.kind and _exists(Opportunity.stage_id == stage.id):
        raise Conflict("deals are in this stage; move them before changing its kind")


def _check_stage(data: dict, stage: Stage | None) -> None:
    if stage is None:
        _place(data)
    else:
        _check_change(stage, data)


#: New stages are appended to their pipeline; existing ones are renamed, reordered or
#: re-weighed in place.
STAGE_RULES = Rules(Stage, check=_check_stage)


def delete_stage(stage: Stage) -> None:
    """Delete a stage no deal is in or has been in (the history keeps its moves)."""
    if _exists(Opportunity.stage_id == stage.id) or _exists(StageVisit.stage_id == stage.id):
        raise Conflict("deals are or were in this stage; it stays to keep their history")
    if stage.kind == OPEN and not any(
        s.kind == OPEN for s in stages_of(stage.pipeline_id) if s.id != stage.id
    ):
        raise Conflict("a pipeline needs at least one open stage")
    STAGE_RULES.delete(stage)
