"""Every hook a Patron plugin can implement.

Two kinds of hook, and the difference matters:

* **App-scope** hooks (``patron_register_*``) are called once per application through
  ``pm.hook``, at start-up, for every installed plugin, whatever each tenant has enabled:
  blueprints cannot be unregistered and workers cannot be synchronised, so everything installed
  is loaded at boot and gated per request (docs/STYLE.md).
* **Tenant-scope** hooks are called only through the per-tenant proxy
  (:func:`patron.plugins.manager.tenant_hooks`), which leaves out the plugins the current
  tenant has not enabled, so a disabled module's handlers, menu items and panels never run.

Implement a hook with :data:`patron.plugins.hookimpl`. Results of non-``firstresult`` hooks
are collected into a list, one entry per implementing plugin, last registered first.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("patron")


# --------------------------------------------------------------------------------------------
# App-scope registration hooks
# --------------------------------------------------------------------------------------------


@hookspec
def patron_register_permissions():
    """Declare the permissions this plugin checks.

    App-scope. Each permission is a :class:`patron.rbac.permissions.Permission` named
    ``module.resource.action``; the part before the last dot is the *resource* that a role's
    data scope applies to. Roles can only be granted declared permissions.

    :return: a list of :class:`~patron.rbac.permissions.Permission`.

    Example::

        @hookimpl
        def patron_register_permissions():
            return [Permission("hello.greetings.read", "Read greetings")]
    """


@hookspec
def patron_register_lookups():
    """Declare the kinds of record that fields of other records refer to but that have no
    record pages of their own: a pipeline, a stage, a queue, an SLA policy.

    App-scope. A form shows a field that refers to one (``stage_id``, or any UUID field
    declared with ``metadata={"reference": "stage"}``) as a select of its records by title,
    and lists, record pages and history show the title instead of the id, for tenants that
    enabled the module and users holding the lookup's ``permission``.

    :return: a list of :class:`patron.entities.Lookup`.

    Example::

        @hookimpl
        def patron_register_lookups():
            return [Lookup("mood", _l("Mood"), Mood, "hello.moods.read")]
    """


@hookspec
def patron_register_labels():
    """Name the module's fields and choices for people, in their language.

    App-scope. Pages show a field, a choice (an enum value), a record type or a permission's
    resource by its name (``stalled_after_days``, ``round_robin``): a label the module gives
    here wins over the name humanised ("Stalled after days"), on forms, lists, filters,
    record pages, history and the audit log. Give lazy strings so each is translated when
    shown; one table per module (a name means the same across the module).

    :return: a mapping ``{name: lazy_gettext("Label")}``.

    Example::

        @hookimpl
        def patron_register_labels():
            return {"mood": _l("Mood"), "cheerful": _l("Cheerful")}
    """


@hookspec
def patron_register_settings():
    """Declare the module's pages in the Settings area: what a tenant's admin configures
    (pipelines, queues, business hours, the module's own settings row).

    App-scope. Each :class:`patron.sdk.SettingsSection` names the API path it edits; the
    core renders its page at ``/settings/<path>`` from the section's spec or settings row
    (a list with add, edit and delete forms, or one form), with the same permission checks,
    validation, optimistic locking and events as the API, for tenants that enabled the
    module and users holding the section's ``read`` permission. A section may instead name a
    page of the module's own (``endpoint``), which the Settings index links to.

    :return: a list of :class:`patron.sdk.SettingsSection`.

    Example::

        @hookimpl
        def patron_register_settings():
            return [SettingsSection("hello/moods", _l("Moods"), spec=MOODS_SPEC)]
    """


@hookspec
def patron_register_entities():
    """Declare the record types tenants can extend with custom fields and search.

    App-scope. Each :class:`patron.entities.Entity` names a model (with a ``custom`` JSON
    column if it takes custom fields), its permission resource, its title attribute and the
    attributes global search matches. Give the same name to ``ResourceSpec(entity=...)`` so
    the API validates, filters and sorts its custom fields.

    :return: a list of :class:`patron.entities.Entity`.

    Example::

        @hookimpl
        def patron_register_entities():
            return [Entity("greeting", "Greeting", Greeting, "hello.greetings",
                           title="message", searchable=("message",), module="hello")]
    """


@hookspec
def patron_register_default_roles():
    """Grant this plugin's permissions and scopes to the default roles of new tenants.

    App-scope. Called when a tenant is created; the result is merged into the seeded roles
    (``admin`` always holds ``*``), which the tenant admin may edit afterwards. A tenant
    created before the plugin was installed gets what its default roles lack when it enables
    the module for the first time (the read-only role its ``.read`` permissions too).

    :return: a dict ``{role_key: {"permissions": [...], "scopes": {resource: scope}}}`` with
        role keys among ``sales_manager``, ``sales_rep``, ``service_agent``, ``technician``,
        ``marketer``, ``read_only``.

    Example::

        @hookimpl
        def patron_register_default_roles():
            return {"read_only": {"permissions": ["hello.greetings.read"],
                                  "scopes": {"hello.greetings": "all"}}}
    """


@hookspec
def patron_register_models():
    """List this plugin's models (tenant-owned ones first of all).

    App-scope. The tenant-isolation harness and the schema checks (``tenant_id`` leading every
    key, RLS policies) walk these models; a model that is not listed is still scoped by the
    ORM, but the checks cannot vouch for it.

    :return: a list of declarative model classes.
    """


@hookspec
def patron_register_api_blueprints():
    """Provide the plugin's REST API.

    App-scope. Each :class:`patron.api.PatronBlueprint` is mounted under
    ``/api/v1/<module>/`` and appears in the OpenAPI document. Its routes answer 404 to
    tenants that have not enabled the module.

    :return: a list of :class:`patron.api.PatronBlueprint`.

    Example::

        blp = PatronBlueprint("hello", __name__)

        @hookimpl
        def patron_register_api_blueprints():
            return [blp]
    """


@hookspec
def patron_register_web_blueprints():
    """Provide the plugin's web pages.

    App-scope. Each :class:`flask.Blueprint` keeps its own ``url_prefix`` (by convention
    ``/<module>``); its pages answer 404 to tenants that have not enabled the module.

    :return: a list of :class:`flask.Blueprint`.
    """


@hookspec
def patron_register_migrations():
    """Point Alembic at the plugin's migration branch.

    App-scope. Each directory holds the plugin's revisions, whose first one carries
    ``branch_labels=("<module>",)`` and ``depends_on`` the core's head, so ``patron db
    upgrade`` creates the plugin's tables (prefixed with the module name).

    :return: a list of directory paths (``str`` or :class:`pathlib.Path`).
    """


@hookspec
def patron_register_cli_commands(cli):
    """Add commands to the ``patron`` command line.

    App-scope.

    :param cli: the :class:`click.Group` behind ``patron``; call ``cli.add_command(...)``.
    :return: nothing.
    """


@hookspec
def patron_register_outbox_channels():
    """Provide consumers for side effects that leave the process (webhooks, ERP, e-mail).

    App-scope. For every emitted event, each channel's ``targets(event)`` names the targets of
    the current tenant that want it, and one outbox row per target is written in the same
    transaction as the change. The worker later hands each claimed row to the channel's
    ``deliver(message)`` inside the row's tenant context: return normally on success, raise to
    have it retried with exponential backoff (and marked dead after the last attempt).
    Delivery is at least once: ``message.idempotency_key`` lets the receiver drop duplicates.

    Only the channels of the core and of modules the tenant has enabled receive its events.

    :return: a list of objects following :class:`patron.events.dispatch.OutboxChannel`.
    """


@hookspec
def patron_register_jobs():
    """Declare scheduled jobs the worker runs for every tenant that enabled the module.

    App-scope declaration; each run happens inside one tenant's context (a job never runs
    without a tenant).

    :return: a list of :class:`patron.events.jobs.Job`.

    Example::

        @hookimpl
        def patron_register_jobs():
            return [Job("hello.daily_digest", every_seconds=86400, run=send_digest)]
    """


@hookspec
def patron_register_events():
    """Declare the events this plugin emits besides its records' ``created``, ``updated`` and
    ``deleted`` (declared with the resource): their meaning and payload, for the catalogue at
    ``/api/v1/events`` and the plugin guide. Under test an emitted event that is not
    declared, or whose payload has other keys, fails.

    App-scope.

    :return: a list of :class:`patron.events.catalogue.EventType`.

    Example::

        @hookimpl
        def patron_register_events():
            return [EventType("greeting.sent", "A greeting was mailed to a contact.",
                              GreetingSchema, extra={"to": fields.Email()})]
    """


# --------------------------------------------------------------------------------------------
# Tenant-scope hooks (called through the per-tenant proxy only)
# --------------------------------------------------------------------------------------------


@hookspec
def patron_event_emitted(event):
    """React in-process to a domain event of the current tenant.

    Tenant-scope: only plugins the tenant enabled are called, inside the same transaction as
    the change that emitted the event (raising aborts that change). Work that leaves the
    process belongs in the outbox, not here.

    :param event: a :class:`patron.events.DomainEvent` (``name`` like ``contact.created``,
        ``payload`` a JSON-able dict).
    :return: nothing.

    Example::

        @hookimpl
        def patron_event_emitted(event):
            if event.name == "greeting.created":
                ...
    """


@hookspec
def patron_events_emitted(events):
    """React in-process to a batch of domain events of the current tenant, in one call.

    Tenant-scope, like :func:`patron_event_emitted`, which it replaces for the plugins that
    implement it: a batch write (an import, a bulk action, a sync run) emits one event per
    record, and a handler that writes something per event (an audit row, a search document)
    can then write them all with one statement. A plugin implementing both gets only this
    one; a plugin implementing only :func:`patron_event_emitted` is still called per event.
    A single change arrives as a batch of one.

    :param events: a list of :class:`patron.events.DomainEvent`, all of one tenant, in the
        order they happened (a batch may mix names).
    :return: nothing.

    Example::

        @hookimpl
        def patron_events_emitted(events):
            created = [e for e in events if e.name == "greeting.created"]
            ...
    """


@hookspec
def patron_module_enabled(module):
    """The current tenant has just enabled ``module``.

    Tenant-scope, called after the switch with the new set of modules, so the module's own
    implementation runs too: seed its default data here (it must be idempotent, since a
    module can be disabled and enabled again).

    :param module: the module name.
    :return: nothing.
    """


@hookspec
def patron_provide_menu_items(user):
    """Contribute entries to the navigation of the web UI.

    Tenant-scope, so disabled modules contribute nothing.

    :param user: the signed-in :class:`patron.auth.models.User`.
    :return: a list of :class:`patron.web.menu.MenuItem`; items whose ``permission`` the
        user lacks are dropped by the core.
    """


@hookspec
def patron_provide_account_panels(account, user):
    """Contribute panels to the 360° view of an account (``GET /accounts/<id>/360``).

    Tenant-scope, so only modules the tenant enabled contribute. Called once per view with an
    account the user may read; keep the work small (a few queries, scoped like any other, and
    a handful of rows: link to your own list for the rest).

    :param account: the :class:`patron.customers.models.Account` being viewed.
    :param user: the signed-in :class:`patron.auth.models.User`.
    :return: a list of :class:`patron.customers.panels.Panel` (``key``, ``title``,
        ``permission``, JSON-able ``data``, and optionally ``template``: a Jinja template of
        your plugin that draws the panel on the 360° page, given ``panel`` and ``account``;
        without one the page shows ``data`` as a table or a list of values); panels whose
        ``permission`` the user lacks are dropped by the core.

    Example::

        @hookimpl
        def patron_provide_account_panels(account, user):
            deals = open_deals_of(account.id)  # your module's query
            return [Panel("sales.open_deals", "Open deals", "sales.opportunities.read",
                          {"count": len(deals), "items": [d.name for d in deals[:5]]})]
    """


@hookspec
def patron_provide_home_widgets(user):
    """Contribute widgets to the home page: what waits for ``user`` today.

    Tenant-scope, so only modules the tenant enabled contribute. Called once per home page;
    a widget is one query or a few, over the records in the user's data scope (scoped like
    any other read), leaving out the fields the user's role may not see, and its numbers
    link to the filtered lists behind them. Return nothing for a widget that does not
    concern the user (a team summary for someone without a team).

    :param user: the signed-in :class:`patron.auth.models.User`.
    :return: a list of :class:`patron.web.home.Widget` (``key``, ``title``, ``template``: a
        Jinja template of your plugin drawn with ``widget`` and its ``context``,
        ``permission``, ``order`` among the defaults, ``wide``); widgets whose
        ``permission`` the user lacks are dropped by the core, and the user's own
        arrangement (order, hidden) is applied to the rest.

    Example::

        @hookimpl
        def patron_provide_home_widgets(user):
            due = renewals_due(user)  # your module's scoped query
            return [Widget("loyalty.renewals", _l("Cards to renew"), "loyalty/renewals.html",
                           {"cards": due}, permission="loyalty.cards.read", order=40)]
    """


@hookspec
def patron_record_references(entity, record_id):
    """Say which of your module's records still refer to a record about to be deleted.

    Tenant-scope, so only modules the tenant enabled are asked. The core asks before it
    deletes a record of any entity (accounts, contacts and products above all) and, if any
    module names references, refuses with 409 and a detail that names them ("This record is
    still referenced by 3 opportunities and 1 quote; …"), deleting nothing. A disabled
    module's rows still block the deletion through their foreign keys; that is a 409 too, only
    less specific. Count with one query, not one per table:
    :func:`patron.api.references.count_references` puts one ``COUNT`` per referring column
    into a single statement and keeps the non-zero ones.

    :param entity: the entity name of the record (``account``, ``contact``, ``product``, …).
    :param record_id: its id (:class:`uuid.UUID`).
    :return: a list of ``(label, count)`` (:class:`patron.api.references.Reference`) with
        ``count > 0``; ``label`` names the referring records for that count and is a lazy
        string (``lazy_ngettext``), so the API says it in English and pages in the user's
        language. An empty list (or nothing) when none of yours refer to it.

    Example::

        @hookimpl
        def patron_record_references(entity, record_id):
            if entity != "account":
                return []
            return count_references(record_id, [
                Referrer(Greeting.account_id,
                         lambda n: lazy_ngettext("%(num)d greeting", "%(num)d greetings", n)),
            ])
    """


@hookspec
def patron_record_actions(entity, record):
    """Add buttons to the core's page of one record (``/records/<entity>/<id>``).

    Tenant-scope, so only modules the tenant enabled add buttons. Called once per page view
    with a record the user may read; keep it cheap (no queries if you can help it).

    :param entity: the entity name of the record (``account``, ``contact``, ``lead``, …).
    :param record: the record shown (a model instance).
    :return: a list of :class:`patron.web.record_actions.RecordAction` ``(label, url,
        permission)``: a link drawn as a button next to "Edit"; actions whose ``permission``
        the user lacks are dropped by the core.

    Example::

        @hookimpl
        def patron_record_actions(entity, record):
            if entity != "account":
                return []
            return [RecordAction(_("Greet"), url_for("hello.greet", account_id=record.id),
                                 "hello.greetings.create")]
    """


@hookspec
def patron_record_form_panels(entity, record):
    """Add live panels to the core's form of a record (``/records/<entity>/new`` and
    ``/records/<entity>/<id>/edit``), drawn below its fields, above "Save".

    Tenant-scope, so only modules the tenant enabled add panels. Called once per form view;
    keep it cheap (no queries if you can help it): the panel's contents come from your own
    page, not from this hook. The page loads it (an htmx ``GET`` of ``url``) when the form
    opens and again whenever one of ``fields`` changes, with those fields' current values in
    the query string (``?account_id=…&product_id=…``), and puts the HTML fragment it answers
    in the panel. Check permissions and data scopes in that page like in any other: the
    values are whatever the browser sends.

    :param entity: the entity name of the form (``ticket``, ``account``, …).
    :param record: the record being edited, or ``None`` on the form for a new one.
    :return: a list of :class:`patron.web.form_panels.FormPanel` ``(url, fields,
        permission)``; panels whose ``permission`` the user lacks are dropped by the core.

    Example::

        @hookimpl
        def patron_record_form_panels(entity, record):
            if entity != "opportunity":
                return []
            return [FormPanel(url_for("hello.greeting_preview"), ("account_id",),
                              "hello.greetings.read")]
    """
