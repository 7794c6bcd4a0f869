"""Records: the operations every interface shares on the records of any entity.

A :class:`~patron.records.spec.ResourceSpec` says how one model is exposed; with it the API,
the pages, imports, bulk actions and jobs create, update and delete records (singly or in
batches, :mod:`patron.records.operations`, :mod:`patron.records.batch`), list them with
filters and keyset paging (:mod:`patron.records.listing`), refuse deletes that other records
still refer to (:mod:`patron.records.references`) and describe what changed
(:mod:`patron.records.changes`). Nothing here knows HTTP: ``patron.api`` and ``patron.web``
are built on it, and plugins reach it through :mod:`patron.sdk`.
"""
