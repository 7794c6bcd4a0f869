"""Records shared with users beyond their owner's data scope.

A data scope is about ownership (own, reports, department, all). Some records are also
worked by people who do not own them: a deal's sales team (issue 4, item 9). A plugin
registers, per model, the condition that admits a record for a user — a set-based subquery,
like the scopes, never a per-row check — and :mod:`patron.rbac.access` ORs it into *reads*
that ask for it (lists, record pages, references). Updates, deletes and owner changes stay
with the owner's scope: team members see the deal, log activities and attach files on it,
and ask its owner to change it, as with Salesforce's read-only opportunity team access.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement

from patron.auth.models import User

#: A model's sharing condition for one user.
Condition = Callable[[User], ColumnElement[bool]]

_conditions: dict[type, Condition] = {}


def share_records(model: type, condition: Condition) -> None:
    """Let a user read the ``model`` records ``condition(user)`` admits, besides those of
    their data scope. One condition per model; registering again replaces it."""
    _conditions[model] = condition


def shared_criteria(model: type, user: User) -> ColumnElement[bool] | None:
    """The condition of the ``model`` records shared with ``user``; None when none are."""
    condition = _conditions.get(model)
    return condition(user) if condition is not None else None
