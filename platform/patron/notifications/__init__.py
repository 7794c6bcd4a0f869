"""In-app notifications: a per-user store of what happened that concerns the user (an
approval asked of them, a deal of theirs that stalled, a ticket assigned to them), shown by
the bell in the top bar and on ``/notifications``, and mailed at once or in a daily digest
when the user asks for it (``users.notify_by_email``).

Modules notify from their event handlers with :func:`notify`, inside the transaction of the
change: a notification exists exactly when the change does.
"""

from patron.notifications.services import (
    DAILY,
    EMAIL_CHOICES,
    IMMEDIATELY,
    NEVER,
    mark_all_read,
    mark_read,
    notify,
    recent,
    unread_count,
)

__all__ = ["DAILY", "EMAIL_CHOICES", "IMMEDIATELY", "NEVER", "mark_all_read", "mark_read",
           "notify", "recent", "unread_count"]
