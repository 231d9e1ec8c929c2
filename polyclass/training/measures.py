"""What the trainer measures and detects, as callbacks on the ``on_eval`` hook.

`IprTracker` adds ``mean_ipr`` to each evaluation record, `GrokEvents` sets
``memorised_at`` and ``grokked_at``, `CollapseDetector` sets ``collapsed_at`` and
stops (or fails) a run whose weights collapsed to zero. They run before every other
callback, in that order, so progress bars, logs and early stopping see their results.
Models frozen by an earlier evaluation are skipped.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch

from ..analysis import Basis, ipr_weights
from ..errors import TrainingCollapseError
from .callbacks import Callback

if TYPE_CHECKING:  # pragma: no cover
    from .loop import Trainer


class TrainingCollapseWarning(UserWarning):
    """The weights collapsed to zero: the loss sits at that of an all-zero output."""


class IprTracker(Callback):
    """``record["mean_ipr"]``: the mean per-neuron IPR of model k in ``bases[k]``.

    ``bases[k] = None`` records ``None``. Models sharing a basis object are transformed
    together, in one batched call.
    """

    def __init__(self, bases: Sequence[Basis | None]) -> None:
        self.bases = list(bases)

    @torch.no_grad()
    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        groups: dict[int, list[int]] = {}
        for k, basis in enumerate(self.bases):
            records[k]["mean_ipr"] = None
            if basis is not None:
                groups.setdefault(id(basis), []).append(k)
        e, r = trainer.model.embed.detach(), trainer.model.readout.detach()
        for group in groups.values():
            ks = [k for k in group if trainer.slot(k) is not None]  # models in the batch
            if not ks:
                continue
            basis = self.bases[ks[0]]
            assert basis is not None
            sel = torch.tensor([trainer.slot(k) for k in ks], device=e.device)
            v = torch.nanmean(ipr_weights(e[sel], r[sel], basis), dim=-1)
            for k, value in zip(ks, v.tolist(), strict=True):
                records[k]["mean_ipr"] = float(value)


class GrokEvents(Callback):
    """``memorised_at`` (train accuracy 100%) and ``grokked_at`` (test accuracy at least
    ``config.grok_threshold``): the first evaluation step where each holds."""

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        for k, r in enumerate(records):
            if k in trainer.finished:
                continue
            ev = trainer.events[k]
            if ev["memorised_at"] is None and r["train_accuracy"] >= 1.0:
                ev["memorised_at"] = trainer.step
            if ev["grokked_at"] is None and r["test_accuracy"] >= trainer.config.grok_threshold:
                ev["grokked_at"] = trainer.step


class CollapseDetector(Callback):
    """``collapsed_at``: the train loss has sat at that of an all-zero output for
    ``config.collapse_patience`` steps while the weight norm fell below half its initial
    value. ``config.on_collapse`` says what follows: warn and freeze the model, raise
    `TrainingCollapseError`, or only record the step.
    """

    def __init__(self) -> None:
        self.init_norm: list[float] | None = None
        self.near_zero_since: list[int | None] = []

    def on_train_start(self, trainer: Trainer) -> None:
        if self.init_norm is None:  # a fresh run, not a resumed one
            self.init_norm = trainer.weight_norms().tolist()
            self.near_zero_since = [None] * trainer.K

    def state_dict(self) -> dict[str, Any]:
        return {"init_norm": self.init_norm, "near_zero_since": list(self.near_zero_since)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.init_norm = list(state["init_norm"])
        self.near_zero_since = list(state["near_zero_since"])

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        for k, r in enumerate(records):
            if k not in trainer.finished:
                self._check(trainer, k, r)

    def _check(self, trainer: Trainer, k: int, r: dict[str, Any]) -> None:
        cfg = trainer.config
        assert self.init_norm is not None
        zero_loss = 1.0 / trainer.p if cfg.loss == "mse" else math.log(trainer.p)
        near = abs(r["train_loss"] - zero_loss) <= cfg.collapse_tol * zero_loss
        if not (near and r["weight_norm"] < 0.5 * self.init_norm[k]):
            self.near_zero_since[k] = None
            return
        since = self.near_zero_since[k]
        if since is None:
            self.near_zero_since[k] = since = trainer.step
        events = trainer.events[k]
        if events["collapsed_at"] is not None or trainer.step - since < cfg.collapse_patience:
            return
        events["collapsed_at"] = trainer.step
        message = (
            f"{trainer.tasks[k].label} (seed {trainer.seeds[k]}): the weights collapsed "
            f"towards zero (norm {r['weight_norm']:.3g}, initially {self.init_norm[k]:.3g}) "
            f"and the train loss has sat at {r['train_loss']:.4g}, the loss of an all-zero "
            f"output ({zero_loss:.4g}), since step {since}. Training cannot recover from this. "
        )
        if cfg.optimizer in ("adam", "sgd") and cfg.weight_decay:
            message += (
                f"optimizer={cfg.optimizer!r} couples weight_decay={cfg.weight_decay} to the "
                "gradient (L2); use optimizer='adamw' (decoupled decay, the paper's recipe) "
                "or a much smaller weight_decay."
            )
        else:
            message += "Lower weight_decay or the learning rate, or raise init_std."
        if cfg.on_collapse == "raise":
            raise TrainingCollapseError(message)
        if cfg.on_collapse == "warn":
            warnings.warn(message, TrainingCollapseWarning, stacklevel=2)
            trainer.finish_model(k, "collapsed")


def measures(bases: Sequence[Basis | None]) -> list[Callback]:
    """The measuring callbacks of a standard run, in the order they must run."""
    return [IprTracker(bases), GrokEvents(), CollapseDetector()]
