"""The load ``bench/api.py`` drives with locust: one endpoint of :mod:`workload`, closed loop.

Configured by the environment (``bench/api.py`` sets it): ``BENCH_CONTEXT`` (the sampled
:class:`workload.Context` as JSON), ``BENCH_ENDPOINT`` (a name of
:data:`workload.ENDPOINTS`) and ``BENCH_LATENCIES`` (where to write every request's latency
in milliseconds: locust's own percentiles are rounded to whole milliseconds, too coarse for
the floor ratio of fast endpoints).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task
from workload import ENDPOINTS, Context, UserState

CONTEXT = Context.load(Path(os.environ["BENCH_CONTEXT"]))
ENDPOINT = os.environ["BENCH_ENDPOINT"]
AUTH = {"Authorization": f"Bearer {CONTEXT.token}"} if CONTEXT.token else {}
OWN_CONTACTS = itertools.cycle(CONTEXT.contact_ids)
LATENCIES: list[float] = []
FAILURES: list[str] = []


@events.request.add_listener
def record(name, response_time, exception, **kwargs) -> None:
    """Keep the latency of every benchmarked request (failures are counted, not timed)."""
    if name != ENDPOINT:
        return
    if exception is None:
        LATENCIES.append(response_time)
    else:
        FAILURES.append(str(exception)[:200])


@events.quitting.add_listener
def write_latencies(environment, **kwargs) -> None:
    """Hand the latencies to ``bench/api.py``."""
    Path(os.environ["BENCH_LATENCIES"]).write_text(
        json.dumps({"latencies": LATENCIES, "failures": FAILURES[:5],
                    "failed": len(FAILURES)}))


class EndpointUser(FastHttpUser):
    """A client that calls one endpoint again as soon as it has its answer."""

    wait_time = constant(0)

    def on_start(self) -> None:
        """Take a contact of one's own (for updates) and read its current version."""
        self.state = UserState(random.Random(), next(OWN_CONTACTS))
        if ENDPOINT == "update contact":
            response = self.client.get(f"/api/v1/contacts/{self.state.contact_id}",
                                       headers=AUTH, name="setup")
            self.state.version = response.json()["version"]

    @task
    def call(self) -> None:
        """One request of the endpoint; a non-2xx answer is a failure."""
        call = ENDPOINTS[ENDPOINT](CONTEXT, self.state)
        url = f"{call.path}?{urlencode(call.params)}" if call.params else call.path
        with self.client.request(call.method, url, name=ENDPOINT, json=call.json,
                                 headers={**AUTH, **call.headers},
                                 catch_response=True) as response:
            if not 200 <= response.status_code < 300:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            elif ENDPOINT == "update contact":
                self.state.version = response.json()["version"]
