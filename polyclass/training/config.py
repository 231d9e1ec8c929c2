"""The one frozen configuration of a training run (saved in every checkpoint)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import TrainConfigError
from .engine import LOSSES, OPTIMIZERS

DTYPES = ("float32", "float64")
ON_COLLAPSE = ("warn", "raise", "ignore")


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters and bookkeeping of one run. Defaults are the paper's recipe.

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
    device: str | None = None  # None: CUDA when available, else CPU
    dtype: str = "float32"
    eval_every: int = 10  # steps between evaluations (history entries, events, callbacks)
    eval_chunk: int = 65536  # rows per model per evaluation pass (also capped by memory)
    grok_threshold: float = 0.99  # test accuracy that counts as grokked
    early_stop: bool = True  # stop once grokked
    early_stop_patience: int = 0  # extra steps to run after grokking before stopping
    settle: int = 0  # >0: stop a model once settled over this many evaluations (see Settle)
    on_collapse: str = "warn"  # "warn": warn, flag and stop; "raise"; "ignore": flag only
    collapse_tol: float = 1e-3  # relative distance of the loss to the all-zero-output loss
    collapse_patience: int = 50  # steps the loss must sit there (after this many steps)
    track_ipr: bool = True  # mean IPR in the history (needs the polynomial's basis)
    progress: bool | None = None  # None: a progress bar only when stderr is a terminal
    checkpoint_every: int = 0  # steps between checkpoints (0: none)
    checkpoint_dir: str | None = None

    def __post_init__(self) -> None:
        def bad(name: str, why: str) -> TrainConfigError:
            value = getattr(self, name)
            return TrainConfigError(f"Argument {name!r} must be {why}, not {value!r}")

        for name in ("width", "eval_every", "eval_chunk"):
            if not _is_int(getattr(self, name)) or getattr(self, name) < 1:
                raise bad(name, "a positive integer")
        for name in ("steps", "seed", "early_stop_patience", "collapse_patience", "settle"):
            if not _is_int(getattr(self, name)) or getattr(self, name) < 0:
                raise bad(name, "a non-negative integer")
        if not _is_int(self.checkpoint_every) or self.checkpoint_every < 0:
            raise bad("checkpoint_every", "a non-negative integer")
        if self.optimizer not in OPTIMIZERS:
            raise bad("optimizer", f"one of {OPTIMIZERS}")
        if self.loss not in LOSSES:
            raise bad("loss", f"one of {LOSSES}")
        if self.dtype not in DTYPES:
            raise bad("dtype", f"one of {DTYPES}")
        if self.on_collapse not in ON_COLLAPSE:
            raise bad("on_collapse", f"one of {ON_COLLAPSE}")
        if not 0.0 < self.train_fraction < 1.0:
            raise bad("train_fraction", "in (0, 1)")
        if not self.lr > 0:
            raise bad("lr", "positive")
        if self.weight_decay < 0:
            raise bad("weight_decay", "non-negative")
        if self.batch_size is not None and (not _is_int(self.batch_size) or self.batch_size < 1):
            raise bad("batch_size", "a positive integer or None (full batch)")
        if self.power is not None and (not _is_int(self.power) or self.power < 1):
            raise bad("power", "a positive integer or None (number of inputs)")
        if self.init_std is not None and not self.init_std > 0:
            raise bad("init_std", "positive or None")
        if not 0.0 < self.grok_threshold <= 1.0:
            raise bad("grok_threshold", "in (0, 1]")
        if self.checkpoint_every and not self.checkpoint_dir:
            raise TrainConfigError("checkpoint_every needs checkpoint_dir= (a folder to write to)")
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
        d = dict(d)
        if "betas" in d:
            d["betas"] = tuple(d["betas"])
        return cls(**d)


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)
