"""The trainer: K power MLPs on K tasks over the same p, one batched program.

``train`` is ``train_many`` with K = 1, so a single run and a batched run execute the same
arithmetic per model. The trainer knows the data (a :class:`Task` per model) and the model
(:class:`BatchedPowerMLP`); everything else (progress, logging, checkpoints, early stop)
is a callback.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import torch

from ..errors import TrainConfigError, TrainingCollapseError
from ..nn import PowerMLP, default_device
from .callbacks import Callback, Checkpoint, EarlyStop, ProgressBar, Settle
from .config import TrainConfig
from .data import Split, Task, as_task, seed_streams, split_task
from .engine import BatchedOptimizer, BatchedPowerMLP, default_init_std

CHECKPOINT_VERSION = 1

#: Cap on hidden activations held at once during evaluation (2^26: 256 MiB in float32).
EVAL_CELLS = 2**26


class TrainingCollapseWarning(UserWarning):
    """The weights collapsed to zero: the loss sits at that of an all-zero output."""


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


_DTYPES = {"float32": torch.float32, "float64": torch.float64}


class Trainer:
    """Train ``len(tasks)`` models together; model k uses ``tasks[k]`` and ``seeds[k]``.

    All tasks must share p and the number of inputs. Attributes read by callbacks:
    ``config``, ``step``, ``history`` (per model), ``events`` (per model), ``should_stop``.
    """

    def __init__(
        self,
        tasks: Sequence[Task],
        config: TrainConfig,
        seeds: Sequence[int] | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> None:
        if not tasks:
            raise TrainConfigError("nothing to train: no tasks given")
        seeds = [config.seed] * len(tasks) if seeds is None else list(seeds)
        if len(seeds) != len(tasks):
            raise TrainConfigError(f"{len(tasks)} tasks but {len(seeds)} seeds")
        p, S = tasks[0].p, tasks[0].n_inputs
        for t in tasks:
            if t.p != p or t.n_inputs != S:
                raise TrainConfigError(
                    "train_many needs the same p and number of inputs for every model; "
                    f"got {tasks[0].label!r} and {t.label!r}"
                )
        self.tasks, self.seeds, self.config = list(tasks), seeds, config
        self.p, self.n_inputs, self.K = p, S, len(tasks)
        self.device = torch.device(config.device) if config.device else default_device()
        self.dtype = _DTYPES[config.dtype]
        streams = [seed_streams(s) for s in seeds]
        self.splits: list[Split] = [
            split_task(t, config.train_fraction, st["split"])
            for t, st in zip(tasks, streams, strict=True)
        ]
        self.batch_gens = [st["batch"] for st in streams]
        self.model = BatchedPowerMLP(
            self.K, S, p, config.width, power=config.power, device=self.device, dtype=self.dtype
        )
        std = config.init_std if config.init_std is not None else default_init_std(config.width)
        self.model.init_([st["init"] for st in streams], std)
        self.optimizer = BatchedOptimizer(
            [self.model.embed, self.model.readout],
            kind=config.optimizer,
            lr=config.lr,
            weight_decay=config.weight_decay,
            betas=config.betas,
            eps=config.eps,
            momentum=config.momentum,
        )
        self._prepare_data()
        cache: dict[str, Any] = {}
        self.bases = [self._basis(t, cache) for t in tasks]
        self.step = 0
        self.history: list[list[dict[str, Any]]] = [[] for _ in tasks]
        self.events: list[dict[str, Any]] = [
            {"memorised_at": None, "grokked_at": None, "collapsed_at": None} for _ in tasks
        ]
        self.init_norm = self._weight_norms().tolist()
        self._near_zero_since: list[int | None] = [None] * self.K
        self.finished: dict[int, dict[str, Any]] = {}
        self.should_stop = False
        self.callbacks: list[Callback] = []
        if config.progress is not False:
            self.callbacks.append(ProgressBar(config.progress))
        if config.early_stop:
            self.callbacks.append(EarlyStop(config.early_stop_patience))
        if config.settle:
            self.callbacks.append(Settle(config.settle))
        if config.checkpoint_every:
            assert config.checkpoint_dir is not None
            self.callbacks.append(Checkpoint(config.checkpoint_dir, config.checkpoint_every))
        self.callbacks.extend(callbacks)
        self.elapsed = 0.0

    # ---- data --------------------------------------------------------------------------
    def _prepare_data(self) -> None:
        dev = self.device
        self.x_train = torch.stack([s.x_train for s in self.splits]).to(dev)  # (K, n, S)
        self.y_train = torch.stack([s.y_train for s in self.splits]).to(dev)  # (K, n)
        x_test = torch.stack([s.x_test for s in self.splits]).to(dev)
        self.y_test = torch.stack([s.y_test for s in self.splits]).to(dev)
        self.train_idx = self.model.flat_index(self.x_train)
        # rows per evaluation chunk: at most eval_chunk, and K * rows * N <= EVAL_CELLS
        c = min(self.config.eval_chunk, max(1, EVAL_CELLS // (self.K * self.config.width)))
        self.test_chunks = [
            (self.model.flat_index(x_test[:, i : i + c]), self.y_test[:, i : i + c])
            for i in range(0, x_test.shape[1], c)
        ]
        self.train_chunks = [
            (self.model.flat_index(self.x_train[:, i : i + c]), self.y_train[:, i : i + c])
            for i in range(0, self.x_train.shape[1], c)
        ]
        n_train = self.x_train.shape[1]
        b = self.config.batch_size
        self.full_batch = b is None or b >= n_train
        self.zero_loss = 1.0 / self.p if self.config.loss == "mse" else math.log(self.p)

    def _basis(self, task: Task, cache: dict[str, Any]) -> Any:
        if not self.config.track_ipr:
            return None
        if task.label not in cache:
            cache[task.label] = self._make_basis(task)
        return cache[task.label]

    def _make_basis(self, task: Task) -> Any:
        from ..analysis import basis_for

        if task.poly is not None:
            try:
                return basis_for(task.poly)
            except Exception as exc:  # decomposition unavailable: fall back, but say so
                warnings.warn(
                    f"IPR basis for {task.label}: {exc}; using natural order", stacklevel=3
                )
        return basis_for(None, self.p, self.n_inputs)

    def _minibatch(self) -> tuple[torch.Tensor, torch.Tensor]:
        n = self.x_train.shape[1]
        assert self.config.batch_size is not None
        picks = torch.stack(
            [torch.randperm(n, generator=g)[: self.config.batch_size] for g in self.batch_gens]
        ).to(self.device)
        x = self.x_train.gather(1, picks.unsqueeze(-1).expand(-1, -1, self.n_inputs))
        return self.model.flat_index(x), self.y_train.gather(1, picks)

    # ---- metrics -----------------------------------------------------------------------
    @torch.no_grad()
    def _metrics(self, chunks: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[Any, Any]:
        total = torch.zeros(self.K, dtype=torch.float64, device=self.device)
        correct = torch.zeros(self.K, dtype=torch.float64, device=self.device)
        count = 0
        for idx, y in chunks:
            logits = self.model.logits(idx)  # (K, b, p)
            correct += (logits.argmax(-1) == y).sum(-1).double()
            if self.config.loss == "mse":
                logits.scatter_add_(-1, y.unsqueeze(-1), -torch.ones_like(logits[..., :1]))
                total += logits.double().square().sum((1, 2)) / self.p
            else:
                logp = torch.log_softmax(logits, -1)
                total -= logp.gather(-1, y.unsqueeze(-1)).double().sum((1, 2))
            count += y.shape[1]
        return (total / count).tolist(), (correct / count).tolist()

    def _weight_norms(self) -> torch.Tensor:
        e, r = self.model.embed.detach(), self.model.readout.detach()
        return (e.double().square().sum((1, 2, 3)) + r.double().square().sum((1, 2))).sqrt()

    def _evaluate(self, train_metrics: tuple[Any, Any] | None) -> list[dict[str, Any]]:
        if train_metrics is None:
            train_metrics = self._metrics(self.train_chunks)
        test_loss, test_acc = self._metrics(self.test_chunks)
        norms = self._weight_norms().tolist()
        iprs = self._mean_iprs()
        records = []
        for k in range(self.K):
            mean_ipr = iprs[k]
            records.append(
                {
                    "step": self.step,
                    "train_loss": float(train_metrics[0][k]),
                    "train_accuracy": float(train_metrics[1][k]),
                    "test_loss": float(test_loss[k]),
                    "test_accuracy": float(test_acc[k]),
                    "mean_ipr": mean_ipr,
                    "weight_norm": float(norms[k]),
                }
            )
        return records

    @torch.no_grad()
    def _mean_iprs(self) -> list[float | None]:
        """Mean IPR per model; models sharing a basis are transformed together."""
        from ..analysis import ipr_weights

        out: list[float | None] = [None] * self.K
        groups: dict[int, list[int]] = {}
        for k, basis in enumerate(self.bases):
            if basis is not None:
                groups.setdefault(id(basis), []).append(k)
        e, r = self.model.embed.detach(), self.model.readout.detach()
        for ks in groups.values():
            sel = torch.tensor(ks, device=e.device)
            v = torch.nanmean(ipr_weights(e[sel], r[sel], self.bases[ks[0]]), dim=-1)
            for k, value in zip(ks, v.tolist(), strict=True):
                out[k] = float(value)
        return out

    def _record(self, records: list[dict[str, Any]]) -> None:
        cfg = self.config
        for k, r in enumerate(records):
            if k in self.finished:
                continue
            self.history[k].append(r)
            ev = self.events[k]
            if ev["memorised_at"] is None and r["train_accuracy"] >= 1.0:
                ev["memorised_at"] = self.step
            if ev["grokked_at"] is None and r["test_accuracy"] >= cfg.grok_threshold:
                ev["grokked_at"] = self.step
            self._check_collapse(k, r)
        for cb in self.callbacks:
            cb.on_eval(self, records)

    def _check_collapse(self, k: int, r: dict[str, Any]) -> None:
        cfg = self.config
        near = abs(r["train_loss"] - self.zero_loss) <= cfg.collapse_tol * self.zero_loss
        shrunk = r["weight_norm"] < 0.5 * self.init_norm[k]
        if not (near and shrunk):
            self._near_zero_since[k] = None
            return
        since = self._near_zero_since[k]
        if since is None:
            self._near_zero_since[k] = since = self.step
        if self.events[k]["collapsed_at"] is not None or self.step - since < cfg.collapse_patience:
            return
        self.events[k]["collapsed_at"] = self.step
        message = (
            f"{self.tasks[k].label} (seed {self.seeds[k]}): the weights collapsed towards zero "
            f"(norm {r['weight_norm']:.3g}, initially {self.init_norm[k]:.3g}) and the train "
            f"loss has sat at {r['train_loss']:.4g}, the loss of an all-zero output "
            f"({self.zero_loss:.4g}), since step {since}. Training cannot recover from this. "
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
            warnings.warn(message, TrainingCollapseWarning, stacklevel=4)
            self.finish_model(k, "collapsed")

    def finish_model(self, k: int, reason: str) -> None:
        """Freeze model k's result at the current step (it keeps computing, unused)."""
        if k in self.finished:
            return
        self.finished[k] = {
            "reason": reason,
            "step": self.step,
            "embed": self.model.embed[k].detach().clone(),
            "readout": self.model.readout[k].detach().clone(),
        }
        if len(self.finished) == self.K:
            self.should_stop = True

    # ---- the loop ----------------------------------------------------------------------
    def run(self) -> list[TrainResult]:
        """Train until ``config.steps`` or until every model is finished; one result each."""
        cfg = self.config
        start = time.perf_counter()
        for cb in self.callbacks:
            cb.on_train_start(self)
        try:
            while True:
                evaluate = self.step % cfg.eval_every == 0 or self.step >= cfg.steps
                train_metrics = None
                if self.full_batch and (evaluate or self.step < cfg.steps):
                    out = self.model.loss_and_grad(
                        self.train_idx, self.y_train, cfg.loss, metrics=evaluate
                    )
                    if out is not None:
                        train_metrics = (out[0].tolist(), out[1].tolist())
                if evaluate:
                    self._record(self._evaluate(train_metrics))
                if self.step >= cfg.steps or self.should_stop:
                    break
                if not self.full_batch:
                    idx, y = self._minibatch()
                    self.model.loss_and_grad(idx, y, cfg.loss, metrics=False)
                self.optimizer.step()
                self.step += 1
                for cb in self.callbacks:
                    cb.on_step_end(self)
            for k in range(self.K):
                self.finish_model(k, "steps")
        finally:
            self.elapsed += time.perf_counter() - start
            for cb in self.callbacks:
                cb.on_train_end(self)
        return self.results()

    def results(self) -> list[TrainResult]:
        out = []
        for k in range(self.K):
            fin = self.finished[k]
            net = self.model.model(k)
            with torch.no_grad():
                net.embed.copy_(fin["embed"])
                net.readout.copy_(fin["readout"])
            ev = self.events[k]
            out.append(
                TrainResult(
                    label=self.tasks[k].label,
                    p=self.p,
                    config=self.config.replace(seed=self.seeds[k]),
                    model=net,
                    history=list(self.history[k]),
                    chance=self.splits[k].chance,
                    memorised_at=ev["memorised_at"],
                    grokked_at=ev["grokked_at"],
                    collapsed_at=ev["collapsed_at"],
                    stopped=fin["reason"],
                    steps_run=fin["step"],
                    time_s=self.elapsed,
                )
            )
        return out

    # ---- checkpoints -------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue: weights, optimiser, step, RNG, history, config."""
        return {
            "version": CHECKPOINT_VERSION,
            "config": self.config.to_dict(),
            "seeds": list(self.seeds),
            "tasks": [_task_state(t) for t in self.tasks],
            "step": self.step,
            "embed": self.model.embed.detach().cpu().clone(),
            "readout": self.model.readout.detach().cpu().clone(),
            "optimizer": self.optimizer.state_dict(),
            "rng": {
                "batch": [g.get_state() for g in self.batch_gens],
                "torch": torch.get_rng_state(),
            },
            "history": [list(h) for h in self.history],
            "events": [dict(e) for e in self.events],
            "init_norm": list(self.init_norm),
            "near_zero_since": list(self._near_zero_since),
            "finished": {k: dict(v) for k, v in self.finished.items()},
            "elapsed": self.elapsed,
        }

    def save_checkpoint(self, path: str | Path) -> Path:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        torch.save(self.state_dict(), tmp)
        tmp.replace(path)
        return path

    def load_state_dict(self, sd: dict[str, Any]) -> None:
        with torch.no_grad():
            self.model.embed.copy_(sd["embed"])
            self.model.readout.copy_(sd["readout"])
        self.optimizer.load_state_dict(sd["optimizer"])
        for g, s in zip(self.batch_gens, sd["rng"]["batch"], strict=True):
            g.set_state(s)
        torch.set_rng_state(sd["rng"]["torch"])
        self.step = sd["step"]
        self.history = [list(h) for h in sd["history"]]
        self.events = [dict(e) for e in sd["events"]]
        self.init_norm = list(sd["init_norm"])
        self._near_zero_since = list(sd["near_zero_since"])
        self.finished = {
            int(k): {
                **v,
                "embed": v["embed"].to(self.device),
                "readout": v["readout"].to(self.device),
            }
            for k, v in sd["finished"].items()
        }
        self.should_stop = len(self.finished) == self.K
        self.elapsed = float(sd["elapsed"])


def _task_state(task: Task) -> dict[str, Any]:
    poly = task.poly
    return {
        "table": torch.from_numpy(task.table.copy()),
        "p": task.p,
        "label": task.label,
        "poly": None if poly is None else {"text": str(poly), "variables": list(poly.variables)},
    }


def _task_from_state(d: dict[str, Any]) -> Task:
    poly = None
    if d["poly"] is not None:
        from ..parsing import parse

        poly = parse(d["poly"]["text"], variables=tuple(d["poly"]["variables"]))
    return Task(table=d["table"].numpy(), p=int(d["p"]), label=d["label"], poly=poly)


# ---- public functions ----------------------------------------------------------------------
_CONFIG_FIELDS = {f.name for f in fields(TrainConfig)}


def _config(config: TrainConfig | None, overrides: dict[str, Any]) -> TrainConfig:
    unknown = sorted(set(overrides) - _CONFIG_FIELDS)
    if unknown:
        raise TrainConfigError(
            f"unknown training option(s) {', '.join(unknown)}; "
            f"valid options: {', '.join(sorted(_CONFIG_FIELDS))}"
        )
    base = config if config is not None else TrainConfig()
    return base.replace(**overrides) if overrides else base


def train(
    poly: object,
    p: int | None = None,
    *,
    config: TrainConfig | None = None,
    callbacks: Sequence[Callback] = (),
    **options: Any,
) -> TrainResult:
    """Train one PowerMLP on a polynomial's table (the paper's recipe by default).

    ``poly``: a ModPoly, polynomial text, or an int table ``(p,)*S`` with ``p=``.
    ``options`` are :class:`TrainConfig` fields (``width=``, ``steps=``, ``seed=``, ...).

    >>> T = train("n1*n2 mod 7", width=64, steps=20, progress=False)  # doctest: +SKIP
    >>> T.test_accuracy, T.grokked_at, T.history[-1]["mean_ipr"]  # doctest: +SKIP
    """
    cfg = _config(config, options)
    return Trainer([as_task(poly, p)], cfg, [cfg.seed], callbacks).run()[0]


def train_many(
    polys: object,
    p: int | None = None,
    *,
    seeds: Sequence[int] | None = None,
    config: TrainConfig | None = None,
    callbacks: Sequence[Callback] = (),
    **options: Any,
) -> list[TrainResult]:
    """Train K models as one batched tensor program; result k equals a separate run.

    ``polys``: one polynomial (trained once per seed) or a list of K polynomials/tables over
    the same p; ``seeds``: K seeds (default: ``config.seed`` for every model).
    """
    cfg = _config(config, options)
    items: list[object]
    if isinstance(polys, (list, tuple)):
        items = list(polys)
    else:  # one polynomial or table, once per seed
        items = [polys] * (len(seeds) if seeds is not None else 1)
    tasks = [as_task(obj, p) for obj in items]
    return Trainer(tasks, cfg, seeds, callbacks).run()


def load_checkpoint(path: str | Path, **changes: Any) -> Trainer:
    """A :class:`Trainer` restored from a checkpoint (``changes``: config fields, e.g. steps)."""
    sd = torch.load(Path(path), map_location="cpu", weights_only=True)
    if sd.get("version") != CHECKPOINT_VERSION:
        raise TrainConfigError(
            f"{path} is not a polyclass checkpoint (version {CHECKPOINT_VERSION})"
        )
    cfg = TrainConfig.from_dict(sd["config"])
    if changes:
        cfg = _config(cfg, changes)
    trainer = Trainer([_task_from_state(t) for t in sd["tasks"]], cfg, sd["seeds"])
    trainer.load_state_dict(sd)
    return trainer


def resume(
    path: str | Path, *, callbacks: Sequence[Callback] = (), **changes: Any
) -> list[TrainResult]:
    """Continue a checkpointed run; the results equal those of an uninterrupted run."""
    trainer = load_checkpoint(path, **changes)
    trainer.callbacks.extend(callbacks)
    return trainer.run()
