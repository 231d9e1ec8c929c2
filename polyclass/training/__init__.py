"""Training power MLPs on modular polynomials: grokking runs, checkpoints, batched runs.

>>> import polyclass as pc
>>> T = pc.train("n1*n2 mod 97", width=500, steps=2000, seed=0)  # doctest: +SKIP
>>> T.test_accuracy, T.grokked_at, T.history[-1]  # doctest: +SKIP
"""

from __future__ import annotations

from .callbacks import Callback, Checkpoint, EarlyStop, LogMetrics, ProgressBar
from .check import CheckResult, check
from .config import TrainConfig
from .data import Task, as_task, seed_streams, split_task
from .engine import BatchedOptimizer, BatchedPowerMLP, default_init_std
from .trainer import (
    Trainer,
    TrainingCollapseWarning,
    TrainResult,
    load_checkpoint,
    resume,
    train,
    train_many,
)

__all__ = [
    "BatchedOptimizer",
    "BatchedPowerMLP",
    "Callback",
    "CheckResult",
    "Checkpoint",
    "EarlyStop",
    "LogMetrics",
    "ProgressBar",
    "Task",
    "TrainConfig",
    "TrainResult",
    "Trainer",
    "TrainingCollapseWarning",
    "as_task",
    "check",
    "default_init_std",
    "load_checkpoint",
    "resume",
    "seed_streams",
    "split_task",
    "train",
    "train_many",
]
