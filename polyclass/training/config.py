"""What defines a run (`TrainConfig`) and how it is carried out (`RunOptions`).

The split is the contract of the sweep database: the configuration hash is computed from
the hyperparameters alone, so adding a run option can never change it. Neither class
imports torch.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

from ..dtypes import dtype_name
from ..errors import TrainConfigError
from ..validation import check_finite, check_fraction, check_positive

LOSSES = ("mse", "cross_entropy")
OPTIMIZERS = ("adamw", "adam", "sgd")
ON_COLLAPSE = ("warn", "raise", "ignore")
SETTLE_RULES = ("band", "trend")


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters: everything that defines a run and its result. The paper's recipe.

    Two runs with equal configs (and equal tasks) give the same result on every device.

    Examples:
        >>> TrainConfig(width=500).lr
        0.005
    """

    width: int = 500
    steps: int = 2000
    lr: float = 0.005
    weight_decay: float = 5.0
    optimizer: str = "adamw"  # "adamw" (decoupled), "adam" (coupled L2), "sgd"
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    momentum: float = 0.0  # SGD only
    loss: str = "mse"  # "mse" (mean over batch * p cells) or "cross_entropy"
    train_fraction: float = 0.5
    batch_size: int | None = None  # None: full batch
    power: int | None = None  # activation exponent; None: number of inputs
    init_std: float | None = None  # None: 0.5 / (2N)^(1/3) on both layers
    seed: int = 0
    dtype: str = "float32"  # or torch.float32 / torch.float64 (kept as the name)
    eval_every: int = 10  # steps between evaluations (history entries, events, callbacks)
    grok_threshold: float = 0.99  # test accuracy that counts as grokked
    early_stop: bool = True  # stop once grokked
    early_stop_patience: int = 0  # extra steps to run after grokking before stopping
    settle: int = 0  # >0: stop a model once settled over this many evaluations (see Settle)
    settle_rule: str = "band"  # "band": max - min <= 1 point; "trend": fitted rise <= 1 point
    on_collapse: str = "warn"  # "warn": warn, flag and stop; "raise"; "ignore": flag only
    collapse_tol: float = 1e-3  # relative distance of the loss to the all-zero-output loss
    collapse_patience: int = 50  # steps the loss must sit there (after this many steps)
    track_ipr: bool = True  # mean IPR in the history (needs the polynomial's basis)

    def __post_init__(self) -> None:
        for name in ("width", "eval_every"):
            _check_int(self, name, 1)
        for name in ("steps", "seed", "early_stop_patience", "collapse_patience", "settle"):
            _check_int(self, name, 0)
        _check_choice(self, "optimizer", OPTIMIZERS)
        _check_choice(self, "loss", LOSSES)
        object.__setattr__(self, "dtype", dtype_name(self.dtype, TrainConfigError))
        _check_choice(self, "on_collapse", ON_COLLAPSE)
        _check_choice(self, "settle_rule", SETTLE_RULES)
        check_fraction(self.train_fraction, "train_fraction", closed=False, error=TrainConfigError)
        check_positive(self.lr, "lr", error=TrainConfigError)
        check_finite(self.weight_decay, "weight_decay", minimum=0.0, error=TrainConfigError)
        check_positive(self.eps, "eps", error=TrainConfigError)
        check_finite(self.momentum, "momentum", minimum=0.0, error=TrainConfigError)
        check_positive(self.collapse_tol, "collapse_tol", error=TrainConfigError)
        if not isinstance(self.betas, (tuple, list)) or len(self.betas) != 2:
            raise _bad(self, "betas", "a pair of numbers in [0, 1)")
        for beta in self.betas:
            if check_finite(beta, "betas", minimum=0.0, error=TrainConfigError) >= 1.0:
                raise _bad(self, "betas", "a pair of numbers in [0, 1)")
        if self.batch_size is not None:
            _check_int(self, "batch_size", 1, "a positive integer or None (full batch)")
        if self.power is not None:
            _check_int(self, "power", 1, "a positive integer or None (number of inputs)")
        if self.init_std is not None:
            check_positive(self.init_std, "init_std", error=TrainConfigError)
        check_fraction(self.grok_threshold, "grok_threshold", error=TrainConfigError)
        for name in ("early_stop", "track_ipr"):
            if not isinstance(getattr(self, name), bool):
                raise _bad(self, name, "True or False")
        object.__setattr__(self, "betas", tuple(float(b) for b in self.betas))

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["betas"] = list(self.betas)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        hyper, run = split_options(d)
        if run:
            raise TrainConfigError(
                f"{', '.join(sorted(run))} are run options, not hyperparameters; "
                "pass them as RunOptions (or as keywords of pc.train)"
            )
        if "betas" in hyper:
            hyper["betas"] = tuple(hyper["betas"])
        return cls(**hyper)


@dataclass(frozen=True)
class RunOptions:
    """How a run is carried out, without changing its result (not part of any hash)."""

    device: str | None = "auto"  # "auto" (or None): CUDA when available, else CPU
    # None: a tqdm bar on a terminal or in a notebook, else a log line every
    # progress_interval seconds; True: the same; False: nothing
    progress: bool | None = None
    progress_interval: float = 10.0  # seconds between progress lines (non-terminal stderr)
    eval_chunk: int = 65536  # rows per model per evaluation pass (also capped by memory)
    checkpoint_every: int = 0  # steps between checkpoints (0: none)
    checkpoint_dir: str | None = None
    metrics_dir: str | None = None  # a folder for metrics.jsonl, written as the run goes
    tensorboard_dir: str | None = None  # a TensorBoard log folder (needs tensorboard)

    def __post_init__(self) -> None:
        _check_int(self, "eval_chunk", 1)
        if not (isinstance(self.progress_interval, (int, float)) and self.progress_interval > 0):
            raise _bad(self, "progress_interval", "a positive number of seconds")
        _check_int(self, "checkpoint_every", 0)
        for name in ("checkpoint_dir", "metrics_dir", "tensorboard_dir"):
            folder = getattr(self, name)
            if isinstance(folder, os.PathLike):  # stored as text: checkpoints hold no Path
                object.__setattr__(self, name, os.fspath(folder))
            elif folder is not None and not isinstance(folder, str):
                raise _bad(self, name, "a folder path (str or pathlib.Path)")
        if self.checkpoint_every and not self.checkpoint_dir:
            raise TrainConfigError("checkpoint_every needs checkpoint_dir= (a folder to write to)")

    def replace(self, **changes: Any) -> RunOptions:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


HYPERPARAMETERS = tuple(f.name for f in dataclasses.fields(TrainConfig))
RUN_OPTIONS = tuple(f.name for f in dataclasses.fields(RunOptions))


def split_options(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keyword arguments split into (hyperparameters, run options); unknown names raise."""
    unknown = sorted(set(options) - set(HYPERPARAMETERS) - set(RUN_OPTIONS))
    if unknown:
        raise TrainConfigError(
            f"unknown training option(s) {', '.join(unknown)}; valid options: "
            f"{', '.join(sorted(HYPERPARAMETERS))} (hyperparameters) and "
            f"{', '.join(RUN_OPTIONS)} (run options)"
        )
    hyper = {k: v for k, v in options.items() if k in HYPERPARAMETERS}
    return hyper, {k: v for k, v in options.items() if k in RUN_OPTIONS}


def resolve(
    config: TrainConfig | None, options: RunOptions | None, overrides: dict[str, Any]
) -> tuple[TrainConfig, RunOptions]:
    """``config`` and ``options`` (defaults when None) with keyword overrides routed to each."""
    hyper, run = split_options(overrides)
    cfg = config if config is not None else TrainConfig()
    opts = options if options is not None else RunOptions()
    return (cfg.replace(**hyper) if hyper else cfg), (opts.replace(**run) if run else opts)


def _bad(obj: object, name: str, why: str) -> TrainConfigError:
    return TrainConfigError(f"Argument {name!r} must be {why}, not {getattr(obj, name)!r}")


def _check_int(obj: object, name: str, least: int, why: str = "") -> None:
    value = getattr(obj, name)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        default = "a positive integer" if least == 1 else "a non-negative integer"
        raise _bad(obj, name, why or default)


def _check_choice(obj: object, name: str, choices: tuple[str, ...]) -> None:
    if getattr(obj, name) not in choices:
        raise _bad(obj, name, f"one of {choices}")


def risky_settings(config: TrainConfig) -> list[str]:
    """Warnings for loss / optimiser / weight-decay pairs known to stall or collapse.

    The paper's weight decay (5, decoupled AdamW) is tuned for the MSE loss; with
    ``cross_entropy`` it holds the weights too small to fit (issue 14: 18% train accuracy
    on ``x*y mod 23``), and with a coupled decay (``adam``, ``sgd``) it pulls the weights
    to zero (the collapse the trainer detects).
    """
    found = []
    wd = config.weight_decay
    if config.loss == "cross_entropy" and wd >= 1.0:
        found.append(
            f"loss='cross_entropy' with weight_decay={wd:g} is known to stall (the paper's "
            "weight decay 5 is tuned for the MSE loss; x*y mod 23 reached 18% train "
            "accuracy); lower the weight decay (e.g. --wd 0.1) or use loss='mse'"
        )
    if config.optimizer in ("adam", "sgd") and wd >= 1.0:
        found.append(
            f"optimizer={config.optimizer!r} adds weight_decay={wd:g} to the gradient (L2), "
            "which collapses the weights to zero at this size; use optimizer='adamw' "
            "(decoupled decay, the paper's recipe) or a much smaller weight decay"
        )
    return found
