"""Training power MLPs on modular polynomials: grokking runs, checkpoints, batched runs.

Examples:
    >>> import polyclass as pc
    >>> T = pc.train("n1*n2 mod 97", width=500, steps=2000, seed=0)  # doctest: +SKIP
    >>> T.test_accuracy, T.grokked_at, T.history[-1]  # doctest: +SKIP
"""

from __future__ import annotations

from .api import RecipeWarning, load_checkpoint, make_trainer, resume, train, train_many
from .callbacks import Callback, Checkpoint, EarlyStop, LogMetrics, ProgressBar
from .check import CheckResult, check
from .config import RunOptions, TrainConfig
from .data import Task, as_task, seed_streams, split_task
from .engine import BatchedOptimizer, BatchedPowerMLP, default_init_std
from .grokking import GrokkingRun, train_past_grokking
from .loop import Trainer
from .measures import CollapseDetector, GrokEvents, IprTracker, TrainingCollapseWarning
from .monitoring import IPRPlateau, MetricsFile, ProgressLog, TensorBoard, read_metrics
from .results import TrainResult

__all__ = [
    "BatchedOptimizer",
    "BatchedPowerMLP",
    "Callback",
    "CheckResult",
    "Checkpoint",
    "CollapseDetector",
    "GrokEvents",
    "IprTracker",
    "IPRPlateau",
    "GrokkingRun",
    "MetricsFile",
    "ProgressLog",
    "RecipeWarning",
    "TensorBoard",
    "read_metrics",
    "train_past_grokking",
    "EarlyStop",
    "LogMetrics",
    "ProgressBar",
    "RunOptions",
    "Task",
    "TrainConfig",
    "TrainResult",
    "Trainer",
    "TrainingCollapseWarning",
    "as_task",
    "check",
    "default_init_std",
    "load_checkpoint",
    "make_trainer",
    "resume",
    "seed_streams",
    "split_task",
    "train",
    "train_many",
]
