"""CSV import and export of any registered entity (accounts, contacts, a plugin's records).

``POST /imports`` stores the upload and queues an :class:`~patron.imports.models.ImportJob`;
the worker runs it (:mod:`patron.imports.runner`) and ``GET /imports/<id>`` follows it.
``GET /exports/<resource>`` streams what the list endpoint would show as CSV.

The worker runs imports through a scheduled job (``core.imports``, every few seconds per
tenant) rather than an outbox channel:

- the ``imports`` row is already a durable queue entry, written in the upload's transaction;
  an outbox message would be a second copy of the same fact;
- the outbox is for deliveries that leave the process, with a five-minute lease, retries with
  backoff and a dead letter: an import runs longer than a lease, and its failures are the
  user's to read, not to retry;
- a job runs in its tenant's context by construction, and ``patron run``'s embedded worker and
  ``patron worker`` both run jobs. An import is claimed with a conditional UPDATE, so several
  workers never run one import twice; one whose worker died is taken over once its heartbeat
  is old.

The cost is a wait of up to one job interval before an import starts.
"""
