"""The test kit: pytest fixtures for the core and for partner plugins.

Installed as the ``pytest11`` entry point ``patron``, so a plugin package that depends on
``patron-crm`` gets ``app``, ``db``, ``tenant``, ``other_tenant``, ``client``, ``auth`` and
``make_user`` in its own tests without a conftest (Indico does the same). Apps are shared
by the tests of a process that ask for the same plugins and configuration, and the database
is emptied after each test (:mod:`patron.testing.fixtures`).
"""
