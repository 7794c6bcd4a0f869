"""Benchmark: the REST API under load against a floor, on a database ``bench/seed.py`` made.

    .venv/bin/python bench/seed.py --accounts 20000 --tenants 1000
    .venv/bin/python bench/api.py [--duration 20] [--users 4] [--explain]

Starts ``patron serve`` (gunicorn, 2 workers) on 127.0.0.1 against the seeded database and,
in the same run, the floor (``bench/floor_app.py``: the same SQL with SQLAlchemy Core and
the same JSON, without auth, scoping or schemas) served by gunicorn the same way. Each
endpoint of :mod:`workload` gets a bounded load from locust (headless, ``--users`` clients in
a closed loop for ``--duration`` seconds), first on Patron, then on the floor. Prints
requests/s, p50/p95/p99 and the ratio ours/floor per endpoint, and the peak RSS of the
busiest worker of each server after the load.

``--tenant-scaling 10,10000`` seeds one database per tenant count (``--scaling-accounts``
accounts in the large tenant) and prints the per-request overhead ratio between them;
``--data-sizes 10000,100000,1000000`` seeds one per contact count and prints list, search
and 360° latency at each. ``--explain`` prints whether each hot query's plan uses an index
that leads with ``tenant_id``; ``--profile ENDPOINT`` profiles the app on one endpoint.
``--database postgresql`` uses the PostgreSQL database of that name (see ``bench/seed.py``);
``--search-leakproof`` first runs ``patron db mark-leakproof`` on it, so that global
search can use its GIN indexes under row-level security.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import seed as seeding
from benchdb import PASSWORD, WORKDIR, SeedInfo
from sqlalchemy import create_engine
from workload import ENDPOINTS, READS, Context, sample_context

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SCALING_ENDPOINTS = ("list contacts", "account 360", "global search")


@dataclass
class Figures:
    """One endpoint's figures on one server."""

    requests: int
    seconds: float
    latencies: list[float]
    failed: int

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds

    def percentile(self, p: int) -> float:
        """The ``p``-th percentile latency in milliseconds."""
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn server started for the run and stopped after it."""

    def __init__(self, label: str, command: list[str], env: dict[str, str], port: int) -> None:
        self.label = label
        self.url = f"http://127.0.0.1:{port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open while the server runs
            prefix=f"bench-{label}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(command, env={**os.environ, **env}, cwd=BENCH.parent,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.label} did not start; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{self.label} did not answer within {timeout} s; see {self.log.name}")

    def peak_rss_mib(self) -> float:
        """The largest peak RSS (VmHWM) among the server's workers."""
        peaks = []
        for worker in psutil.Process(self.process.pid).children():
            with open(f"/proc/{worker.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=float("nan"))

    def stop(self) -> None:
        """Stop gunicorn (and its workers) and wait for it."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def start_patron(info: SeedInfo, workers: int) -> Server:
    """``patron serve`` on the seeded database."""
    port = free_port()
    return Server("patron", [str(BIN / "patron"), "serve", "--bind", f"127.0.0.1:{port}",
                             "--workers", str(workers)], info.environment(), port)


def start_floor(info: SeedInfo, context: Context, workers: int) -> Server:
    """The floor app, served by gunicorn the same way."""
    port = free_port()
    return Server("floor", [str(BIN / "gunicorn"), "--chdir", str(BENCH), "--workers",
                            str(workers), "--bind", f"127.0.0.1:{port}", "floor_app:app"],
                  {"BENCH_DATABASE_URL": info.app_url, "BENCH_TENANT_ID": context.tenant_id,
                   "BENCH_OWNER_ID": context.owner_id},
                  port)


def api_token(server: Server, info: SeedInfo) -> str:
    """A bearer token of the large tenant's admin, asked for through the API."""
    body = json.dumps({"tenant": info.tenant, "email": info.admin_email,
                       "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{server.url}/api/v1/auth/token", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["token"]


def load(server: Server, context_path: Path, endpoint: str, seconds: int, users: int) -> Figures:
    """Drive ``endpoint`` of ``server`` with locust for ``seconds`` seconds."""
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as tmp:
        output = Path(tmp) / "latencies.json"
        env = {**os.environ, "BENCH_CONTEXT": str(context_path), "BENCH_ENDPOINT": endpoint,
               "BENCH_LATENCIES": str(output), "PYTHONPATH": str(BENCH)}
        subprocess.run([str(BIN / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
                        "--users", str(users), "--spawn-rate", str(users),
                        "--run-time", f"{seconds}s", "--host", server.url,
                        "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"],
                       env=env, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd=tmp)
        result = json.loads(output.read_text())
    if result["failed"]:
        print(f"    {server.label} {endpoint}: {result['failed']} failed, e.g. "
              f"{result['failures'][0]}", flush=True)
    return Figures(len(result["latencies"]), seconds, result["latencies"], result["failed"])


def pooled(parts: list[Figures]) -> Figures:
    """The figures of several rounds as one."""
    return Figures(sum(p.requests for p in parts), sum(p.seconds for p in parts),
                   [latency for p in parts for latency in p.latencies],
                   sum(p.failed for p in parts))


def prepared_context(info: SeedInfo, workdir: Path) -> tuple[Context, Path]:
    """The requests' context sampled from the database, saved for locust."""
    engine = create_engine(info.admin_url)
    context = sample_context(engine, info.tenant, random.Random(1))
    engine.dispose()
    return context, workdir / f"{info.name}.{info.kind}-context.json"


@dataclass
class Target:
    """A seeded database with Patron and the floor serving it."""

    label: str
    context_path: Path
    ours: Server
    floor: Server

    def stop(self) -> None:
        """Stop both servers."""
        self.ours.stop()
        self.floor.stop()


def serve(label: str, info: SeedInfo, args) -> Target:
    """Start Patron and the floor on ``info``'s database, and sign in for the load."""
    context, context_path = prepared_context(info, args.workdir)
    if args.search_leakproof and info.kind == "postgresql":
        subprocess.run([str(BIN / "patron"), "db", "mark-leakproof"], check=True,
                       env={**os.environ, **info.environment()}, stdout=subprocess.DEVNULL)
    ours = start_patron(info, args.workers)
    try:
        floor = start_floor(info, context, args.workers)
    except BaseException:
        ours.stop()
        raise
    target = Target(label, context_path, ours, floor)
    try:
        context.token = api_token(ours, info)
    except BaseException:
        target.stop()
        raise
    context.save(context_path)
    return target


Results = dict[str, dict[str, tuple[Figures, Figures]]]


def run(databases: dict[str, SeedInfo], endpoints: list[str], args) -> Results:
    """Every endpoint on Patron and on the floor of every database, in ``args.rounds``
    interleaved rounds (so that noise from elsewhere on the machine falls on all of them);
    returns database label → endpoint → (ours, floor)."""
    targets: list[Target] = []
    try:
        for label, info in databases.items():
            targets.append(serve(label, info, args))
        header(len(targets) > 1)
        seconds = max(1, round(args.duration / args.rounds))
        results: Results = {t.label: {} for t in targets}
        for endpoint in endpoints:
            parts = {t.label: ([], []) for t in targets}
            for _ in range(args.rounds):
                for target in targets:
                    ours, floor = parts[target.label]
                    ours.append(load(target.ours, target.context_path, endpoint, seconds,
                                     args.users))
                    floor.append(load(target.floor, target.context_path, endpoint, seconds,
                                      args.users))
            for target in targets:
                ours, floor = parts[target.label]
                results[target.label][endpoint] = (pooled(ours), pooled(floor))
                report_line(endpoint, target.label if len(targets) > 1 else "",
                            *results[target.label][endpoint])
        for target in targets:
            where = f" on {target.label}" if len(targets) > 1 else ""
            print(f"  peak RSS of a worker after the load{where}: "
                  f"patron {target.ours.peak_rss_mib():,.0f} MiB, "
                  f"floor {target.floor.peak_rss_mib():,.0f} MiB", flush=True)
    finally:
        for target in targets:
            target.stop()
    return results


def header(labelled: bool) -> None:
    """The column titles of :func:`report_line`."""
    print(f"  {'endpoint':18} {'database' if labelled else '':12} {'server':6} {'req/s':>8} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}   ours/floor p50, p95", flush=True)


def report_line(endpoint: str, label: str, ours: Figures, floor: Figures) -> None:
    """One endpoint's figures on both servers and their ratio."""
    for server, figures in (("patron", ours), ("floor", floor)):
        first = server == "patron"
        print(f"  {endpoint if first else '':18} {label if first else '':12} {server:6} "
              f"{figures.rate:8.1f} {figures.percentile(50):8.1f} "
              f"{figures.percentile(95):8.1f} {figures.percentile(99):8.1f}", end="")
        if not first:
            print(f"   {ours.percentile(50) / floor.percentile(50):5.2f}x "
                  f"{ours.percentile(95) / floor.percentile(95):5.2f}x", end="")
        print(flush=True)


def seeded(name: str, args, accounts: int, tenants: int) -> SeedInfo:
    """The database ``name``, seeded now unless ``--reuse`` finds it seeded already."""
    if args.reuse and SeedInfo.path(args.database, name, args.workdir).exists():
        return SeedInfo.load(args.database, name, args.workdir)
    seeding.main(["--database", args.database, "--name", name, "--accounts", str(accounts),
                  "--tenants", str(tenants), "--workdir", str(args.workdir),
                  *([] if args.with_sales else ["--no-opportunities"])])
    return SeedInfo.load(args.database, name, args.workdir)


def tenant_scaling(args) -> None:
    """The same load on databases that differ only in their number of tenants."""
    counts = [int(c) for c in args.tenant_scaling.split(",")]
    databases = {f"{count} tenants": seeded(f"{args.name}_t{count}", args,
                                            args.scaling_accounts, count - 1)
                 for count in counts}
    print(f"\n{args.database}, {args.scaling_accounts:,} accounts in the large tenant, "
          f"{', '.join(databases)}:")
    endpoints = args.endpoints or list(READS)
    results = run(databases, endpoints, args)
    first, last = list(databases)[0], list(databases)[-1]
    print(f"\nper-request overhead ratio, {last} vs {first} (target <= 1.1):")
    for endpoint in endpoints:
        ours = (results[last][endpoint][0].percentile(50)
                / results[first][endpoint][0].percentile(50))
        floor = (results[last][endpoint][1].percentile(50)
                 / results[first][endpoint][1].percentile(50))
        print(f"  {endpoint:18} patron p50 {ours:5.2f}x   floor p50 {floor:5.2f}x   "
              f"overhead (patron/floor) {ours / floor:5.2f}x")


def data_scaling(args) -> None:
    """List, search and 360° latency at several contact counts."""
    sizes = [int(c) for c in args.data_sizes.split(",")]
    databases = {f"{size:,} c": seeded(f"{args.name}_c{size}", args, size // 5, 10)
                 for size in sizes}
    print(f"\n{args.database}, by contacts in the large tenant:")
    run(databases, args.endpoints or list(SCALING_ENDPOINTS), args)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks asked for and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--name", default="patron_bench",
                        help="the seeded database (bench/seed.py --name)")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--users", type=int, default=2, help="concurrent locust clients")
    parser.add_argument("--rounds", type=int, default=2,
                        help="interleaved rounds per endpoint (the duration is split)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--endpoints", type=lambda text: [e.strip() for e in text.split(",")],
                        help="comma-separated, of: " + ", ".join(ENDPOINTS) + " (default: all; "
                             "the reads for --tenant-scaling; list, 360 and search for "
                             "--data-sizes)")
    parser.add_argument("--explain", action="store_true",
                        help="check each hot query's plan for a tenant_id-led index")
    parser.add_argument("--profile", metavar="ENDPOINT", choices=ENDPOINTS,
                        help="cProfile the app in-process on one endpoint")
    parser.add_argument("--tenant-scaling", metavar="COUNTS",
                        help="e.g. 10,10000: seed and compare databases with these tenants")
    parser.add_argument("--data-sizes", metavar="CONTACTS",
                        help="e.g. 10000,100000,1000000: seed and load each size")
    parser.add_argument("--scaling-accounts", type=int, default=2000)
    parser.add_argument("--with-sales", action="store_true",
                        help="scaling databases get opportunities and the sales module (its "
                             "panels join the 360° view; the floor has none)")
    parser.add_argument("--search-leakproof", action="store_true",
                        help="PostgreSQL: run `patron db mark-leakproof` on the "
                             "database first (it stays marked)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse scaling databases seeded by an earlier run")
    args = parser.parse_args(argv)
    unknown = set(args.endpoints or ()) - set(ENDPOINTS)
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    if args.tenant_scaling:
        tenant_scaling(args)
        return 0
    if args.data_sizes:
        data_scaling(args)
        return 0
    info = SeedInfo.load(args.database, args.name, args.workdir)
    if args.explain or args.profile:
        from inprocess import explain_hot_queries, profile_endpoint

        context, _ = prepared_context(info, args.workdir)
        if args.explain:
            explain_hot_queries(info, context)
        if args.profile:
            profile_endpoint(info, context, args.profile)
        return 0
    print(f"{info.kind} database {info.name}: {info.counts.get('contacts', 0):,} contacts, "
          f"{info.tenants:,} tenants; {args.users} clients x {args.duration} s per endpoint, "
          f"{args.workers} gunicorn workers per server")
    run({info.name: info}, args.endpoints or list(ENDPOINTS), args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
