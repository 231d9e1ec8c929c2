"""What one sweep job is and how a batch of jobs runs: classify, train, one row per job.

`run_batch` is pure with respect to the database, so a worker process or a Ray task can run
it; the sweep driver (`polyclass.atlas.sweep`) is the only writer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..decomposition import Decomposition, decompose
from ..errors import PolyclassError
from ..learnability import Verdict, classify
from ..modpoly import parse
from ..training import RunOptions, train_many
from ..training.check import default_check_config
from ..training.config import TrainConfig
from .family import Enumeration
from .store import ResultStore, config_hash


@dataclass(frozen=True)
class Job:
    """One training run: a polynomial (``text``: canonical, expanded), its prime, a seed,
    a training fraction."""

    text: str
    typed: str
    variables: tuple[str, ...]
    p: int
    seed: int
    alpha: float = 0.5


def sweep_config(p: int, **hyperparameters: Any) -> dict[str, Any]:
    """The hyperparameters of a sweep job at prime p (a `TrainConfig` dict).

    ``pc.check``'s recipe for p, without the mean-IPR history (a sweep records outcomes,
    and the IPR in a reindexed basis costs more than the training step at small p).
    """
    cfg = default_check_config(p).replace(track_ipr=False)
    return TrainConfig.from_dict({**cfg.to_dict(), **hyperparameters}).to_dict()


def run_batch(
    jobs: Sequence[Job],
    config: dict[str, Any],
    family: str = "",
    options: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Classify and train one batch (same p, same config): one result row per job.

    ``config``: hyperparameters (`sweep_config`); ``options``: run options (device,
    eval_chunk, ...; no progress unless they ask for it). Pure with respect to the
    database, so it can run in another process (a Ray task).
    """
    if len({(job.p, job.alpha) for job in jobs}) != 1:
        raise PolyclassError("a batch must share one prime and one training fraction")
    cfg = TrainConfig.from_dict(config)
    run = RunOptions(**{"progress": False, **(options or {})})
    verdicts: dict[str, tuple[Verdict, float, Decomposition]] = {}  # per polynomial
    for job in jobs:
        if job.text not in verdicts:
            start = time.perf_counter()
            D = decompose(parse(job.text, variables=job.variables))  # once for all uses
            V = classify(D, alpha=cfg.train_fraction)
            verdicts[job.text] = (V, time.perf_counter() - start, D)
    start = time.perf_counter()
    tasks = [verdicts[job.text][2] for job in jobs]  # the trainer takes the structure as is
    results = train_many(tasks, seeds=[job.seed for job in jobs], config=cfg, options=run)
    train_s = (time.perf_counter() - start) / len(jobs)
    rows = []
    for job, T in zip(jobs, results, strict=True):
        V, classify_s, D = verdicts[job.text]
        rows.append(
            {
                "poly": job.text,
                "p": job.p,
                "seed": job.seed,
                "alpha": cfg.train_fraction,
                "config_hash": config_hash(config),
                "family": family,
                "typed": job.typed,
                "variables": ",".join(job.variables),
                "decomposition_form": D.form,
                **verdict_columns(V),
                "observed_test_accuracy": T.test_accuracy,
                "observed_train_accuracy": T.train_accuracy,
                "chance": T.chance,
                "grok_threshold": T.config.grok_threshold,
                "grokked_at": T.grokked_at,
                "memorised_at": T.memorised_at,
                "collapsed_at": T.collapsed_at,
                "steps_run": T.steps_run,
                "classify_s": classify_s,
                "train_s": train_s,
                "config": _json(config),
                "version": __version__,
            }
        )
    return rows


def verdict_columns(V: Verdict) -> dict[str, Any]:
    """The classifier's columns of a result row."""
    certificate = V.certificate
    kind = certificate.get("kind") if isinstance(certificate, dict) else certificate
    return {
        "predicted": None if V.learnable is None else int(bool(V.learnable)),
        "verdict_form": V.form,
        "score": None if V.score is None else float(V.score),
        "certificate": None if kind is None else str(kind),
        "reason": str(V.reason),
    }


def reclassify(db: str | Path) -> int:
    """Re-run the current classifier on every polynomial of a sweep database.

    Training outcomes stay; the prediction columns are replaced. Returns the number of
    distinct polynomials classified. Useful when the classifier improves: no retraining.
    """
    if not Path(db).is_file():
        raise PolyclassError(f"no sweep database at {db}")
    with ResultStore(db) as store:
        polys = sorted({(r["poly"], r["variables"]) for r in store.rows(("poly", "variables"))})
        for poly, variables in polys:
            P = parse(poly, variables=variables.split(",") if variables else None)
            store.update_verdict(poly, verdict_columns(classify(P)))
    return len(polys)


def _json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True)


def plan_jobs(
    enumeration: Enumeration, seeds: Sequence[int], alphas: Sequence[float] = (0.5,)
) -> list[Job]:
    """One job per polynomial, training fraction and seed, in deterministic order."""
    return [
        Job(f"{P.expanded()} mod {P.p}", P.text, P.variables, P.p, seed, alpha)
        for P in enumeration.polys
        for alpha in alphas
        for seed in seeds
    ]


def job_batches(jobs: list[Job], size: int) -> Iterator[list[Job]]:
    by_prime: dict[tuple[int, float], list[Job]] = {}
    for job in jobs:
        by_prime.setdefault((job.p, job.alpha), []).append(job)
    for group in by_prime.values():
        for start in range(0, len(group), size):
            yield group[start : start + size]
