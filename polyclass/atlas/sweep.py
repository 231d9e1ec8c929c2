"""``pc.sweep``: classify and train every polynomial of a family, store one row per job.

A job is (polynomial, p, seed, alpha) under one training configuration; alpha, the
training fraction, comes from the family (``alpha=0.3|0.5``) and is stored per row, outside
the configuration hash. Jobs already in the database (same key) are skipped, so running
the same command again after an interruption finishes the rest. Jobs run in batches of K
models trained together (``pc.train_many``), either in this process (``backend="local"``)
or as Ray tasks (``backend="ray"``); in both cases only this process writes to the database.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from ..errors import PolyclassError, WorkerDiedError
from ..training.config import split_options
from ..training.monitoring import RateLog, in_notebook, stream_is_terminal
from ..validation import check_choice, check_int
from ..workers import init_worker
from .claims import Claims, drive
from .family import Family, enumerate_family, load_family
from .jobs import Job, job_batches, plan_jobs, run_batch, sweep_config
from .store import ResultStore, config_hash

BACKENDS = ("local", "ray")


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep did: family size, merges, jobs skipped and run, throughput."""

    db: str
    family: dict[str, Any]
    distinct_polynomials: int
    enumerated: int
    merged: int
    filtered: int
    jobs: int
    already_done: int
    ran: int
    rows_in_db: int
    seconds: float
    backend: str

    @property
    def jobs_per_minute(self) -> float:
        return 60.0 * self.ran / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        return (
            f"{self.distinct_polynomials} distinct polynomials ({self.enumerated} enumerated, "
            f"{self.merged} merged as equal tables, {self.filtered} filtered); "
            f"{self.jobs} jobs: {self.already_done} already in {self.db}, {self.ran} run "
            f"in {self.seconds:.1f} s ({self.jobs_per_minute:.1f} jobs/min, {self.backend}); "
            f"{self.rows_in_db} rows stored"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "family": self.family,
            "distinct_polynomials": self.distinct_polynomials,
            "enumerated": self.enumerated,
            "merged": self.merged,
            "filtered": self.filtered,
            "jobs": self.jobs,
            "already_done": self.already_done,
            "ran": self.ran,
            "rows_in_db": self.rows_in_db,
            "seconds": self.seconds,
            "jobs_per_minute": self.jobs_per_minute,
            "backend": self.backend,
        }


def sweep(
    family: str | Path | Family,
    *,
    db: str | Path = "atlas.sqlite",
    seeds: int | Sequence[int] = 1,
    backend: str = "local",
    address: str | None = None,
    batch_size: int = 8,
    workers: int | None = None,
    max_polynomials: int | None = None,
    sample: int | None = None,
    sample_seed: int = 0,
    progress: bool | None = None,
    **train_options: Any,
) -> SweepSummary:
    """Run (or finish) a sweep over a family of polynomials; results go to ``db``.

    ``seeds``: a count (seeds 0..n-1) or explicit seeds. ``workers``: local processes
    training batches side by side, one torch thread each (default: one per CPU core; 1
    trains in this process). ``train_options``: hyperparameters override the default
    training recipe (``width=``, ``steps=`` ...) and are part of the configuration hash, so
    a sweep with other hyperparameters adds rows instead of skipping them; run options
    (``device=``, ``eval_chunk=``) change how jobs run, never the hash.
    ``sample``: run only that many members of the family, drawn at random with
    ``sample_seed`` (see `enumerate_family`); the same seed draws the same members, so a sample
    can be resumed.

    Examples:
        >>> pc.sweep("vars=2, degree<=1, coeffs=-1..1, p=5", db="atlas.sqlite")  # doctest: +SKIP
    """
    check_choice(backend, "backend", BACKENDS)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    if isinstance(seeds, int):
        seed_list = list(range(check_int(seeds, "seeds", minimum=1)))
    else:
        seed_list = [check_int(s, "seeds", minimum=0) for s in seeds]
    if not seed_list:
        raise PolyclassError("Argument 'seeds' must be a count >= 1 or a list of seeds, not []")
    workers = None if workers is None else check_int(workers, "workers", minimum=1)
    fam = load_family(family)
    if "train_fraction" in train_options:
        raise PolyclassError(
            "give the training fraction in the family ('alpha=0.3|0.5'), not train_fraction="
        )
    enumeration = enumerate_family(
        fam, max_polynomials=max_polynomials, sample=sample, sample_seed=sample_seed
    )
    hyper, run = split_options(train_options)
    configs: dict[tuple[int, float], dict[str, Any]] = {}
    for p in sorted({*fam.primes, *(P.p for P in enumeration.polys)}):
        for alpha in fam.alphas:
            configs[p, alpha] = sweep_config(p, train_fraction=alpha, **hyper)
    started = time.perf_counter()
    with ResultStore(db) as store:
        done: set[tuple[str, int, int, float]] = set()
        for (_, alpha), cfg in configs.items():
            done |= {(*key, alpha) for key in store.done_keys(config_hash(cfg), alpha)}
        all_jobs = plan_jobs(enumeration, seed_list, fam.alphas)
        todo = [job for job in all_jobs if (job.text, job.p, job.seed, job.alpha) not in done]
        hashes = {key: config_hash(cfg) for key, cfg in configs.items()}
        claims = Claims(store.conn, job_batches(todo, batch_size), hashes)
        ran = [0]

        def advance(n: int) -> None:
            ran[0] += n
            bar.update(n)

        stop_renewing = claims.keep_alive(str(db))
        try:
            plan = _Plan(configs, run, fam.spec)
            with _progress(len(todo), progress) as bar:
                if backend == "ray":
                    _run_ray(claims, plan, store, advance, address)
                else:
                    # in this process (workers=1), the batch's own step lines show progress too
                    _run_local(claims, plan, store, advance, workers, getattr(bar, "lines", False))
        finally:
            stop_renewing.set()
            claims.release_all()
        rows = store.count()
    return SweepSummary(
        db=str(db),
        family=fam.to_dict(),
        distinct_polynomials=len(enumeration.polys),
        enumerated=enumeration.enumerated,
        merged=enumeration.merged,
        filtered=enumeration.filtered,
        jobs=len(all_jobs),
        already_done=len(all_jobs) - len(todo),
        ran=ran[0],
        rows_in_db=rows,
        seconds=time.perf_counter() - started,
        backend=backend,
    )


@dataclass(frozen=True)
class _Plan:
    """What every batch is run with: hyperparameters per (prime, alpha), run options, spec."""

    configs: dict[tuple[int, float], dict[str, Any]]
    run: dict[str, Any]
    spec: str

    def args(self, batch: list[Job]) -> tuple[Any, ...]:
        """The arguments of `run_batch` for one batch."""
        return (batch, self.configs[batch[0].p, batch[0].alpha], self.spec, self.run)


def _run_local(
    claims: Claims,
    plan: _Plan,
    store: ResultStore,
    advance: Callable[[int], Any],
    workers: int | None,
    step_lines: bool = False,
) -> None:
    """Batches in worker processes (one torch thread each); this process writes results.

    Small tensor programs run best on one thread per core: several threads per process
    spend their time synchronising, worst of all when the machine is busy. Workers exit by
    themselves when this process dies (`polyclass.workers.init_worker`).
    """
    n = min(os.cpu_count() or 1, max(1, len(claims.queue))) if workers is None else workers

    if n <= 1:
        inner = replace(plan, run={**plan.run, "progress": None}) if step_lines else plan
        drive(
            claims,
            lambda batch: tuple(batch),
            lambda handles: [(h, run_batch(*inner.args(list(h)))) for h in handles],
            1,
            store,
            advance,
        )
        return
    plan = replace(plan, run={k: v for k, v in plan.run.items() if k != "progress"})  # quiet
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        n, mp_context=context, initializer=init_worker, initargs=(os.getpid(),)
    ) as pool:

        def wait(handles: list[Any]) -> list[tuple[Any, list[dict[str, Any]]]]:
            done, _ = futures_wait(handles, return_when=FIRST_COMPLETED)
            return finished_batches(done)

        drive(
            claims,
            lambda batch: pool.submit(run_batch, *plan.args(batch)),
            wait,
            2 * n,
            store,
            advance,
        )


def finished_batches(done: Any) -> list[tuple[Any, list[dict[str, Any]]]]:
    """The rows of finished futures; `WorkerDiedError` when a worker process died (the
    pool is then unusable): the runs already stored stay, and the sweep's claims of a
    dead process are free at once, so the same command resumes."""
    try:
        return [(f, f.result()) for f in done]
    except BrokenProcessPool as err:
        raise WorkerDiedError(
            "a worker process died while training (killed by the system, most often for "
            "lack of memory); the runs finished so far are stored in the database, and the "
            "same command resumes the sweep (fewer --workers or a smaller --batch-size use "
            "less memory)"
        ) from err


def _run_ray(
    claims: Claims,
    plan: _Plan,
    store: ResultStore,
    advance: Callable[[int], Any],
    address: str | None,
) -> None:
    try:
        import ray
    except ImportError:
        raise PolyclassError("the ray backend needs Ray: pip install 'polyclass[ray]'") from None
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    remote = ray.remote(run_batch)
    in_flight = max(2, int(ray.cluster_resources().get("CPU", 2)))

    def wait(handles: list[Any]) -> list[tuple[Any, list[dict[str, Any]]]]:
        ready, _ = ray.wait(handles, num_returns=1)
        return [(ref, ray.get(ref)) for ref in ready]

    def submit(batch: list[Job]) -> Any:
        return remote.remote(*plan.args(batch))

    drive(claims, submit, wait, in_flight, store, advance)


class _NoBar:
    lines = False

    def update(self, n: int) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class _JobLines(_NoBar):
    """Progress lines (jobs done/total, rate, ETA) about every ``interval`` seconds."""

    lines = True

    def __init__(self, total: int, interval: float = 10.0) -> None:
        self.log = RateLog(total, label="sweep: ", unit="job", interval=interval)
        self.done = 0

    def __enter__(self) -> _JobLines:
        self.log.update(0, force=True)
        return self

    def update(self, n: int) -> None:
        self.done += n
        self.log.update(self.done, force=self.done >= self.log.total)


def _progress(total: int, enabled: bool | None, interval: float = 10.0) -> Any:
    """None/True: a tqdm bar on a terminal or in a notebook, else progress lines."""
    if enabled is False:
        return _NoBar()
    if stream_is_terminal() or in_notebook():
        return tqdm(total=total, unit="job", desc="sweep", smoothing=0.1)
    return _JobLines(total, interval)
