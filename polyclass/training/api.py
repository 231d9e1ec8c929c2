"""The public training functions: ``pc.train``, ``pc.train_many``, resume and checkpoints.

Keyword arguments are routed: `TrainConfig` fields (hyperparameters) to the config,
`RunOptions` fields (``device``, ``progress``, ``checkpoint_every``, ...) to the run
options. `make_trainer` assembles the standard callbacks.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..analysis import Basis, basis_for
from ..errors import PolyclassError, TrainConfigError
from . import checkpoints
from .callbacks import Callback, Checkpoint, EarlyStop, Settle
from .config import RunOptions, TrainConfig, resolve, risky_settings
from .data import Task, as_task
from .loop import Trainer
from .measures import measures
from .monitoring import MetricsFile, TensorBoard, check_tensorboard, progress_callback
from .results import TrainResult


class RecipeWarning(UserWarning):
    """A hyperparameter combination known to stall or collapse (see ``risky_settings``)."""


def ipr_bases(tasks: Sequence[Task]) -> list[Basis]:
    """The IPR basis of each task (one per label): from the structure it carries, else
    from its polynomial's decomposition.

    A bare table, or a polynomial whose decomposition fails (with a warning), gets the
    natural Fourier basis.
    """
    cache: dict[str, Basis] = {}
    for task in tasks:
        if task.label in cache:
            continue
        basis = None
        if task.poly is not None or task.structure is not None:
            try:
                basis = basis_for(task.structure if task.structure is not None else task.poly)
            except Exception as exc:  # decomposition unavailable: fall back, but say so
                warnings.warn(
                    f"IPR basis for {task.label}: {exc}; using natural order", stacklevel=3
                )
        cache[task.label] = basis or basis_for(None, task.p, task.n_inputs)
    return [cache[task.label] for task in tasks]


def make_trainer(
    tasks: Sequence[Task],
    config: TrainConfig,
    seeds: Sequence[int] | None = None,
    callbacks: Sequence[Callback] = (),
    options: RunOptions | None = None,
) -> Trainer:
    """A `Trainer` with the standard callbacks, then ``callbacks``.

    Standard: the measures (mean IPR when ``config.track_ipr``, memorisation and grokking
    events, collapse detection), progress (a bar, or log lines on a non-terminal stderr),
    ``metrics.jsonl`` (``options.metrics_dir``), TensorBoard (``options.tensorboard_dir``),
    early stop after grokking (when ``config.early_stop``) and checkpoints (when
    ``options.checkpoint_every``).
    """
    opts = options if options is not None else RunOptions()
    for message in risky_settings(config):
        warnings.warn(message, RecipeWarning, stacklevel=3)
    bases = ipr_bases(tasks) if config.track_ipr else [None] * len(tasks)
    standard: list[Callback] = measures(bases)
    progress = progress_callback(opts.progress, interval=opts.progress_interval)
    if progress is not None:
        standard.append(progress)
    if opts.metrics_dir:
        standard.append(MetricsFile(opts.metrics_dir))
    if opts.tensorboard_dir:
        check_tensorboard()  # fail now, not after the first evaluation
        standard.append(TensorBoard(opts.tensorboard_dir))
    if config.early_stop:
        standard.append(EarlyStop(config.early_stop_patience))
    if config.settle:
        standard.append(Settle(config.settle, rule=config.settle_rule))
    if opts.checkpoint_every:
        assert opts.checkpoint_dir is not None
        standard.append(Checkpoint(opts.checkpoint_dir, opts.checkpoint_every))
    return Trainer(tasks, config, seeds, [*standard, *callbacks], options=opts)


def train(
    poly: object,
    p: int | None = None,
    *,
    config: TrainConfig | None = None,
    options: RunOptions | None = None,
    callbacks: Sequence[Callback] = (),
    **overrides: Any,
) -> TrainResult:
    """Train one PowerMLP on a polynomial's table (the paper's recipe by default).

    ``poly``: a ModPoly, polynomial text, an int table ``(p,)*S`` with ``p=``, or what
    decompose / classify returned (a Decomposition, a Structure, a learnable Verdict: the
    IPR basis then comes from the structure they hold, without decomposing again).
    ``overrides``: `TrainConfig` fields (``width=``, ``steps=``, ``seed=``, ...) and
    `RunOptions` fields (``device=``, ``progress=``, ``checkpoint_dir=``, ...).

    Examples:
        >>> T = train("n1*n2 mod 7", width=64, steps=20, progress=False)  # doctest: +SKIP
        >>> T.test_accuracy, T.grokked_at, T.history[-1]["mean_ipr"]  # doctest: +SKIP
    """
    cfg, opts = resolve(config, options, overrides)
    return make_trainer([as_task(poly, p)], cfg, [cfg.seed], callbacks, opts).run()[0]


def train_many(
    polys: object,
    p: int | None = None,
    *,
    seeds: Sequence[int] | None = None,
    config: TrainConfig | None = None,
    options: RunOptions | None = None,
    callbacks: Sequence[Callback] = (),
    **overrides: Any,
) -> list[TrainResult]:
    """Train K models as one batched tensor program; result k equals a separate run.

    ``polys``: one polynomial (trained once per seed) or a list of K polynomials/tables over
    the same p; ``seeds``: K seeds (default: ``config.seed`` for every model). A model that
    stops early (grokked, settled, collapsed) leaves the batched program, so the batch costs
    what its running models cost (benchmarks/train_step.py).
    """
    cfg, opts = resolve(config, options, overrides)
    items: list[object]
    if isinstance(polys, (list, tuple)):
        items = list(polys)
    else:  # one polynomial or table, once per seed
        items = [polys] * (len(seeds) if seeds is not None else 1)
    tasks = [as_task(obj, p) for obj in items]
    return make_trainer(tasks, cfg, seeds, callbacks, opts).run()


def load_checkpoint(path: str | Path, **changes: Any) -> Trainer:
    """A `Trainer` restored from a checkpoint.

    ``changes``: hyperparameters or run options to change, e.g. ``steps=`` to extend a run.
    """
    state = checkpoints.read(path)
    try:
        cfg, opts = resolve(*checkpoints.settings(state), changes)
        tasks = [checkpoints.task_from_state(t) for t in state["tasks"]]
        trainer = make_trainer(tasks, cfg, state["seeds"], options=opts)
        trainer.load_state_dict(state)
    except PolyclassError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, RuntimeError) as exc:
        raise TrainConfigError(
            f"checkpoint {str(path)!r} does not fit together ({type(exc).__name__}: "
            f"{str(exc)[:200]}); it was not written by this version of polyclass"
        ) from None
    return trainer


def resume(
    path: str | Path, *, callbacks: Sequence[Callback] = (), **changes: Any
) -> list[TrainResult]:
    """Continue a checkpointed run; the results equal those of an uninterrupted run."""
    trainer = load_checkpoint(path, **changes)
    trainer.callbacks.extend(callbacks)
    return trainer.run()
