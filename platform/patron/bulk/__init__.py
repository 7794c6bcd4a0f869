"""Bulk actions on a list's selection: assign owner, set a field, add a tag, delete.

A bulk action is one background job (:mod:`patron.bulk.runner`) over a snapshot of the
records chosen (:mod:`patron.bulk.selection`): the rows ticked on a list page, or "all N
matching" its filters. Each record is checked again when the job reaches it (the user's
permission and data scope then, not at the click), changed through the records layer (field
rules, validation, audit and events as for any other write) and given its own result, so a
record someone moved out of the user's scope meanwhile is refused and reported, not changed.
What an entity offers comes from its spec (:mod:`patron.bulk.actions`).
"""
