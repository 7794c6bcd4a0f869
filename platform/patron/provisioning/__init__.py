"""Provisioning tenants: creating one (:mod:`patron.provisioning.tenants`), and declarative
manifests, where one TOML file describes a tenant and applying it makes it so.

``patron tenant apply FILE`` applies a manifest and ``patron run`` provisions the demo tenant
from ``tenants/demo.toml``. The format (every part but ``[tenant]`` is optional)::

    modules = ["sales", "service"]   # top-level key, so it goes ABOVE [tenant]; each module
                                     # must be installed, and what it requires must be
                                     # enabled already or listed before it

    [tenant]
    slug = "demo"                    # required: the tenant this manifest is about
    name = "Demo Company"
    locale = "en"                    # en | zh_Hans
    timezone = "Europe/Berlin"       # an IANA time zone
    currency = "EUR"                 # ISO 4217
    plan = "standard"

    [[departments]]
    name = "Sales"
    [[departments]]
    name = "Sales East"
    parent = "Sales"                 # a department declared above, or one the tenant has

    [[roles]]                        # a new custom role, or changes to an existing one
    key = "team_lead"                # (the default roles can be edited too)
    name = "Team lead"               # required for a new role
    permissions = ["core.accounts.read", "core.accounts.update"]
    scopes = { "core.accounts" = "own_and_reports" }
    default_scope = "own"

    [[users]]
    email = "admin@demo.test"
    name = "Dana Admin"
    password = "demo-admin-2026"     # only used when the user is created
    admin = true                     # the first administrator (role admin); exactly one
                                     # user needs it when the tenant does not exist yet
    [[users]]
    email = "rep@demo.test"
    role = "sales_rep"               # a role key (new users default to read_only)
    department = "Sales East"        # a department name
    manager = "admin@demo.test"      # a user of this file or of the tenant

    [[accounts]]                     # sample data
    name = "Initech"
    domain = "initech.test"
    industry = "Software"
    owner = "rep@demo.test"          # a user of this file or of the tenant

**Applying is idempotent.** Records are matched by their natural key: the tenant by slug,
departments by name, roles by key, users by e-mail, accounts by domain (by name when they have
none). A match is updated to the values the manifest gives; keys left out keep their current
values. Nothing is ever deleted or disabled, and passwords are only set on users the manifest
creates, so applying the same file twice changes nothing the second time.

**Validation comes first.** The whole file is checked, against the installed modules and the
tenant's current state, before anything is written. Every problem is reported with its key path
(array indexes count from 0) in one :class:`ManifestError`, e.g.
``users[2].role: no role 'sales_boss'``, and nothing is changed.

The work is done by the services (:func:`~patron.provisioning.tenants.create_tenant`,
:func:`~patron.rbac.users.create_user`, :func:`~patron.rbac.services.create_department`,
:func:`~patron.rbac.services.set_manager`, :func:`~patron.modules.enable_module`, …);
like them, applying flushes and never commits: the caller commits. The format and its
schemas are :mod:`~patron.provisioning.manifest`, the checks
:mod:`~patron.provisioning.checking`, the writes :mod:`~patron.provisioning.applying`.
"""
