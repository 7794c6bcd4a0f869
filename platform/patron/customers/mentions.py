"""Mentions: writing ``@name`` in an activity (a note, a call's summary) tells that colleague
(:func:`patron.notifications.notify`), with a link to the activity.

``@maria`` names the active user whose e-mail address starts ``maria@`` or whose name's first
word is Maria (case-insensitive); a word that names several people names none of them (the
author is told nothing either way: they wrote it). The users of the tenant are read once per
batch of activities, in one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from patron.auth.models import User
from patron.db import db
from patron.events import DomainEvent
from patron.mail import page_path
from patron.notifications import notify

MENTION = re.compile(r"(?<![\w@])@([\w][\w.-]*)")


def _people() -> dict[str, set]:
    """Each mention word of the tenant's active users, to the ids it names."""
    named: dict[str, set] = {}
    for user_id, name, email in db.session.execute(
            select(User.id, User.name, User.email).where(User.is_active.is_(True))):
        words = {email.split("@", 1)[0].lower()}
        if name.strip():
            words.add(name.split()[0].lower())
        for word in words:
            named.setdefault(word, set()).add(user_id)
    return named


def notify_mentions(events: Iterable[DomainEvent]) -> None:
    """Tell the people the new activities among ``events`` mention."""
    created = [e.payload for e in events if e.name == "activity.created"
               and MENTION.search(e.payload.get("description") or "")]
    if not created:
        return
    people = _people()
    for activity in created:
        words = {word.rstrip(".-").lower()
                 for word in MENTION.findall(activity.get("description") or "")}
        mentioned = {next(iter(people[word])) for word in words
                     if len(people.get(word, ())) == 1}
        notify(mentioned, _l("You were mentioned: %(subject)s",
                             subject=activity.get("subject", "")),
               naming=("activity", "subject"), instead=_l("You were mentioned in an activity."),
               kind="core.mention",
               link=page_path("records.record_detail", entity="activity",
                              record_id=activity["id"]))
