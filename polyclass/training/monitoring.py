"""Watching a run: progress on any stderr, metrics on disk as it goes, TensorBoard, IPR plateau.

Each class is a `Callback`:

* `ProgressLog` writes one line about every ``interval`` seconds (step, accuracies,
  loss, mean IPR, steps/s, ETA): what a log file, ``nohup`` or CI shows instead of a bar.
* `progress_callback` picks a tqdm bar (terminal or notebook) or a `ProgressLog`.
* `MetricsFile` appends every evaluation to ``metrics.jsonl`` while the run goes on.
* `TensorBoard` writes the same scalars with ``torch.utils.tensorboard``.
* `IPRPlateau` stops a model once it has grokked and its mean IPR has stopped rising.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import PolyclassError, TrainConfigError
from ..validation import check_finite, check_int
from .callbacks import Callback, ProgressBar

if TYPE_CHECKING:  # pragma: no cover
    from .trainer import Trainer

METRICS = "metrics.jsonl"
#: Scalars of a history record written to TensorBoard and shown in progress lines.
SCALARS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "mean_ipr", "weight_norm")


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where tqdm.auto draws a widget bar)."""
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    get = getattr(shell, "get_ipython", None)
    return get is not None and get() is not None


def stream_is_terminal(stream: IO[str] | None = None) -> bool:
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def format_duration(seconds: float) -> str:
    """``75`` -> ``'1m15s'``; ``3725`` -> ``'1h02m'``."""
    if not math.isfinite(seconds):
        return "?"
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class RateLog:
    """Throttled progress lines for any loop: ``done/total``, rate, ETA, extra text.

    ``update(done, extra)`` writes a line when ``interval`` seconds have passed since the
    last one (always for the first call, and with ``force=True``). Used by training,
    ``check`` and ``sweep``.
    """

    def __init__(
        self,
        total: int,
        *,
        label: str = "",
        unit: str = "step",
        interval: float = 10.0,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        start: int = 0,
    ) -> None:
        self.total, self.label, self.unit, self.interval = total, label, unit, interval
        self.stream = stream
        self.clock = clock
        self.t0 = clock()
        self.start = start
        self.last: float | None = None
        self.lines = 0

    def update(self, done: int, extra: str = "", force: bool = False) -> None:
        now = self.clock()
        if not force and self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        elapsed = now - self.t0
        rate = (done - self.start) / elapsed if elapsed > 0 else float("nan")
        left = (self.total - done) / rate if rate and rate > 0 else float("nan")
        parts = [f"{self.label}{self.unit} {done}/{self.total}"]
        if extra:
            parts.append(extra)
        if math.isfinite(rate):
            parts.append(f"{rate:.3g} {self.unit}s/s")
        parts.append(f"elapsed {format_duration(elapsed)}")
        if done < self.total:
            parts.append(f"ETA {format_duration(left)}")
        stream = sys.stderr if self.stream is None else self.stream
        print(" | ".join(parts), file=stream, flush=True)
        self.lines += 1


def record_summary(records: list[dict[str, Any]]) -> str:
    """The best model's accuracies, loss and mean IPR in a few characters."""
    best = max(records, key=lambda r: r["test_accuracy"])
    ipr = best.get("mean_ipr")
    text = (
        f"train acc {best['train_accuracy']:.3f} test acc {best['test_accuracy']:.3f} "
        f"loss {best['train_loss']:.4g}"
    )
    return text + ("" if ipr is None else f" IPR {ipr:.3f}")


class ProgressLog(Callback):
    """A progress line on ``stream`` (default stderr) about every ``interval`` seconds.

    ``ETA`` assumes the run goes to ``config.steps``; an early stop ends it sooner.
    """

    def __init__(self, interval: float = 10.0, stream: IO[str] | None = None) -> None:
        self.interval = interval
        self.stream = stream
        self.log: RateLog | None = None
        self.summary = ""

    def on_train_start(self, trainer: Trainer) -> None:
        self.log = RateLog(
            trainer.config.steps, interval=self.interval, stream=self.stream, start=trainer.step
        )

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        self.summary = record_summary(records)
        if self.log is not None:
            self.log.update(trainer.step, self.summary)

    def on_step_end(self, trainer: Trainer) -> None:
        if self.log is not None:
            self.log.update(trainer.step, self.summary)

    def on_train_end(self, trainer: Trainer) -> None:
        if self.log is not None:
            self.log.update(trainer.step, self.summary + " (done)", force=True)
            self.log = None


def progress_callback(
    progress: bool | None, *, interval: float = 10.0, stream: IO[str] | None = None
) -> Callback | None:
    """The callback that shows progress: ``False`` none; ``True``/``None`` a tqdm bar on a
    terminal or in a notebook, else a `ProgressLog` line every ``interval`` s."""
    if progress is False:
        return None
    if stream is None and (stream_is_terminal() or in_notebook()):
        return ProgressBar(True)
    return ProgressLog(interval, stream)


class MetricsFile(Callback):
    """Append each evaluation to ``folder/metrics.jsonl`` as it happens (flushed per line).

    One JSON object per line: the history record (``step``, losses, accuracies,
    ``mean_ipr``, ``weight_norm``) plus ``model`` (its index) when several models train
    together. A fresh run truncates the file; a resumed one (step > 0) appends.
    """

    def __init__(self, folder: str | os.PathLike[str], name: str = METRICS) -> None:
        self.path = Path(folder) / name
        self.file: IO[str] | None = None

    def on_train_start(self, trainer: Trainer) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("a" if trainer.step > 0 else "w", encoding="utf-8")
        except OSError as err:
            raise PolyclassError(f"cannot write {self.path}: {err.strerror}") from None

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        if self.file is None:
            return
        for k, r in enumerate(records):
            if k in trainer.finished:
                continue
            line = dict(r, model=k) if trainer.K > 1 else dict(r)
            self.file.write(json.dumps(line) + "\n")
        self.file.flush()

    def on_train_end(self, trainer: Trainer) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def read_metrics(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The records of a ``metrics.jsonl`` file (or of the one in a run folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / METRICS
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise PolyclassError(f"cannot read {path}: {err.strerror}") from None
    return [json.loads(line) for line in lines if line.strip()]


class TensorBoard(Callback):
    """Write the evaluation scalars to a TensorBoard log folder (tag ``model{k}/name``).

    Needs the optional ``tensorboard`` package (``pip install 'polyclass[tensorboard]'``);
    ``writer_factory`` replaces ``SummaryWriter`` (for tests).
    """

    def __init__(
        self, logdir: str | os.PathLike[str], writer_factory: Callable[[str], Any] | None = None
    ) -> None:
        self.logdir = str(logdir)
        self.factory = writer_factory or _summary_writer
        self.writer: Any = None

    def on_train_start(self, trainer: Trainer) -> None:
        self.writer = self.factory(self.logdir)

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        for k, r in enumerate(records):
            if k in trainer.finished:
                continue
            prefix = f"model{k}/" if trainer.K > 1 else ""
            for name in SCALARS:
                if r.get(name) is not None:
                    self.writer.add_scalar(prefix + name, r[name], r["step"])

    def on_train_end(self, trainer: Trainer) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _summary_writer(logdir: str) -> Any:
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise PolyclassError(
            "--tensorboard needs the optional 'tensorboard' package: "
            "pip install 'polyclass[tensorboard]' (or pip install tensorboard)"
        ) from None
    return SummaryWriter(logdir)


def check_tensorboard() -> None:
    """Raise the clear error now (before a long run) when tensorboard is missing."""
    if importlib.util.find_spec("tensorboard") is None:
        _summary_writer("")


class IPRPlateau(Callback):
    """Stop a model once it has grokked and its mean IPR has stopped rising.

    The plateau: over the last ``window`` steps the mean IPR rose by less than ``tol``
    (absolute). Checked only after grokking and at least ``min_steps`` steps into the run,
    so the stop comes past grokking, when the weights have become periodic (paper Figs. 2-3).
    """

    def __init__(self, window: int = 500, tol: float = 0.005, min_steps: int = 0) -> None:
        self.window = check_int(window, "window", minimum=1, error=TrainConfigError)
        self.tol = check_finite(tol, "tol", minimum=0, error=TrainConfigError)
        self.min_steps = check_int(min_steps, "min_steps", minimum=0, error=TrainConfigError)

    def on_eval(self, trainer: Trainer, records: list[dict[str, Any]]) -> None:
        if trainer.step < self.min_steps:
            return
        for k, hist in enumerate(trainer.history):
            grokked = trainer.events[k]["grokked_at"]
            if k in trainer.finished or grokked is None or not hist:
                continue
            now = hist[-1]
            if now["mean_ipr"] is None or now["step"] - grokked < self.window:
                continue
            past = [r for r in hist if r["step"] <= now["step"] - self.window]
            if past and now["mean_ipr"] - past[-1]["mean_ipr"] < self.tol:
                trainer.finish_model(k, "ipr_plateau")
