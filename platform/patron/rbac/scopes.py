"""Record-level data scopes, compiled to set-based SQL.

A scope never becomes a per-row check or a growing ``IN (...)`` list of ids: each is a
predicate on the record's ``owner_id`` against a subquery over ``users`` (materialised paths of
the reporting line and the department tree), so its cost depends on the size of the team, not
on the number of records.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from patron.auth.models import User
from patron.rbac.models import Department

OWN = "own"
OWN_AND_REPORTS = "own_and_reports"
DEPARTMENT = "department"
DEPARTMENT_TREE = "department_tree"
ALL = "all"

#: Narrowest first.
SCOPES = (OWN, OWN_AND_REPORTS, DEPARTMENT, DEPARTMENT_TREE, ALL)


def scope_criteria(owner_column, user: User, scope: str) -> ColumnElement[bool]:
    """The WHERE clause that limits ``owner_column`` to what ``user`` may see under ``scope``."""
    if scope == ALL:
        return true()
    if scope == OWN_AND_REPORTS:
        team = select(User.id).where(User.report_path.startswith(user.report_path))
        return owner_column.in_(team)
    if scope in (DEPARTMENT, DEPARTMENT_TREE) and user.department_id is not None:
        if scope == DEPARTMENT:
            team = select(User.id).where(User.department_id == user.department_id)
        else:
            subtree = select(Department.id).where(
                Department.path.startswith(
                    select(Department.path)
                    .where(Department.id == user.department_id)
                    .scalar_subquery()
                )
            )
            team = select(User.id).where(User.department_id.in_(subtree))
        return owner_column.in_(team)
    return owner_column == user.id
