"""The outcome of a training run: the trained model, its history and its events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..nn import PowerMLP
from .config import TrainConfig


@dataclass(frozen=True, eq=False)
class TrainResult:
    """Outcome of one run: the trained model, its history and the events that happened.

    ``history``: one record per evaluation (``step``, ``train_loss``, ``train_accuracy``,
    ``test_loss``, ``test_accuracy``, ``mean_ipr``, ``weight_norm``). Events are steps:
    ``memorised_at`` (train accuracy 100%), ``grokked_at`` (test accuracy >=
    ``config.grok_threshold``), ``collapsed_at`` (weights collapsed to zero). ``chance`` is
    the majority-class share of the test set.
    """

    label: str
    p: int
    config: TrainConfig
    model: PowerMLP = field(repr=False)
    history: list[dict[str, Any]] = field(repr=False)
    chance: float
    memorised_at: int | None
    grokked_at: int | None
    collapsed_at: int | None
    stopped: str  # "steps", "grokked", "settled" or "collapsed"
    steps_run: int
    time_s: float

    @property
    def final(self) -> dict[str, Any]:
        return self.history[-1]

    @property
    def train_accuracy(self) -> float:
        return float(self.final["train_accuracy"])

    @property
    def test_accuracy(self) -> float:
        return float(self.final["test_accuracy"])

    @property
    def train_loss(self) -> float:
        return float(self.final["train_loss"])

    @property
    def test_loss(self) -> float:
        return float(self.final["test_loss"])

    @property
    def grokked(self) -> bool:
        return self.grokked_at is not None

    @property
    def collapsed(self) -> bool:
        return self.collapsed_at is not None

    def __str__(self) -> str:
        return (
            f"{self.label}: train {self.train_accuracy:.2%}, test {self.test_accuracy:.2%} "
            f"(chance {self.chance:.2%}) after {self.steps_run} steps; "
            f"memorised at {self.memorised_at}, grokked at {self.grokked_at}"
            + (f", COLLAPSED at {self.collapsed_at}" if self.collapsed else "")
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the weights)."""
        return {
            "label": self.label,
            "p": self.p,
            "config": self.config.to_dict(),
            "chance": self.chance,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "train_loss": self.train_loss,
            "test_loss": self.test_loss,
            "memorised_at": self.memorised_at,
            "grokked_at": self.grokked_at,
            "collapsed_at": self.collapsed_at,
            "stopped": self.stopped,
            "steps_run": self.steps_run,
            "time_s": self.time_s,
            "history": [dict(r) for r in self.history],
        }
