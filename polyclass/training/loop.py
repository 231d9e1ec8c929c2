"""The training loop: K power MLPs on K tasks over the same p, one batched program.

A single run is K = 1, so a single run and a batched run execute the same arithmetic per
model. The `Trainer` knows the data (a `Task` per model), the model and the
optimiser, and evaluates every ``config.eval_every`` steps; everything else (measures,
events, progress, checkpoints, early stop) is a callback. The standard set of callbacks
is assembled by `polyclass.training.api.make_trainer`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from ..dtypes import torch_dtype
from ..errors import TrainConfigError
from ..nn import MLPShape
from ..validation import check_device
from . import checkpoints
from .callbacks import Callback
from .config import RunOptions, TrainConfig
from .data import Split, Task, seed_streams, split_task
from .engine import BatchedOptimizer, BatchedPowerMLP, default_init_std
from .results import TrainResult

#: Cap on hidden activations held at once during evaluation (2^26: 256 MiB in float32).
EVAL_CELLS = 2**26

#: Builds the batched model of a trainer (its tasks, config, device and seeds are set).
ModelFactory = Callable[["Trainer"], BatchedPowerMLP]


def build_model(trainer: Trainer) -> BatchedPowerMLP:
    """The default model: ``config.width`` neurons, model k initialised from seed k."""
    cfg = trainer.config
    shape = MLPShape.checked(trainer.n_inputs, trainer.p, cfg.width, power=cfg.power)
    model = BatchedPowerMLP(trainer.K, shape, device=trainer.device, dtype=torch_dtype(cfg.dtype))
    std = cfg.init_std if cfg.init_std is not None else default_init_std(cfg.width)
    model.init_([seed_streams(s)["init"] for s in trainer.seeds], std)
    return model


#: Most bytes the models' weights, gradients and optimiser state may take together.
MAX_MODEL_BYTES = 2**33


def _check_model_size(K: int, S: int, p: int, config: TrainConfig, device: torch.device) -> None:
    """Refuse (with the estimate) K models too large to hold before allocating any."""
    weights = K * (S * p + p) * config.width
    size = 8 if config.dtype == "float64" else 4
    estimate = weights * size * 4  # weights, gradients and two optimiser moments
    if estimate > MAX_MODEL_BYTES:
        raise TrainConfigError(
            f"{K} model(s) of width {config.width:,} for p = {p} and {S} inputs need about "
            f"{estimate / 2**30:,.1f} GiB (weights, gradients, optimiser state), above the cap "
            f"of {MAX_MODEL_BYTES / 2**30:.0f} GiB; use a smaller width"
        )


def _norms(embed: torch.Tensor, readout: torch.Tensor) -> torch.Tensor:
    """Euclidean norm of each model's weights, ``(K,)`` float64."""
    e, r = embed.double().square().sum((1, 2, 3)), readout.double().square().sum((1, 2))
    return (e + r).sqrt()


class Trainer:
    """Train ``len(tasks)`` models together; model k uses ``tasks[k]`` and ``seeds[k]``.

    All tasks must share p and the number of inputs. ``model``: a
    `BatchedPowerMLP` with K models on the device, trained as it is, or a factory
    called with the trainer (default `build_model`, initialised from the seeds).
    Attributes read by callbacks: ``config``, ``options``, ``step``, ``model``, ``history``
    (per model), ``events`` (per model), ``finished``, ``should_stop``.

    A finished model leaves the batched program at the next step (its result is already a
    frozen copy), so a batch whose models stop at different steps costs what its running
    models cost. ``model`` then holds the running models only, model ``active[i]`` at
    position ``i`` (`slot`); records passed to callbacks stay one per model, those of
    models already out being a copy of their last record.
    """

    #: Drop finished models from the batched program; False keeps computing them, unused,
    #: until the batch ends (the baseline of benchmarks/train_step.py's batch measurement).
    compact_finished = True

    def __init__(
        self,
        tasks: Sequence[Task],
        config: TrainConfig,
        seeds: Sequence[int] | None = None,
        callbacks: Sequence[Callback] = (),
        *,
        options: RunOptions | None = None,
        model: BatchedPowerMLP | ModelFactory = build_model,
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
        self.options = options if options is not None else RunOptions()
        self.p, self.n_inputs, self.K = p, S, len(tasks)
        self.device = check_device(self.options.device, error=TrainConfigError)
        _check_model_size(self.K, S, p, config, self.device)
        streams = [seed_streams(s) for s in seeds]
        self.splits: list[Split] = [
            split_task(t, config.train_fraction, st["split"])
            for t, st in zip(tasks, streams, strict=True)
        ]
        self.batch_gens = [st["batch"] for st in streams]
        self.active = list(range(self.K))  # the models in the batched program, in order
        self.model = model if isinstance(model, BatchedPowerMLP) else model(self)
        shape = (self.model.n_models, self.model.n_inputs, self.model.in_dim)
        if shape != (self.K, S, p) or self.model.out_dim != p:
            raise TrainConfigError(
                f"the model holds {shape[0]} models of {shape[1]} inputs over {shape[2]} "
                f"residues; the tasks need {self.K} models of {S} inputs over p = {p}"
            )
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
        self.step = 0
        self.history: list[list[dict[str, Any]]] = [[] for _ in tasks]
        self.events: list[dict[str, int | None]] = [
            {"memorised_at": None, "grokked_at": None, "collapsed_at": None} for _ in tasks
        ]
        self.finished: dict[int, dict[str, Any]] = {}
        self.should_stop = False
        self.callbacks: list[Callback] = list(callbacks)
        self.elapsed = 0.0  # seconds in run() before the current call (restored on resume)
        self._started: float | None = None

    # ---- data --------------------------------------------------------------------------
    def _prepare_data(self) -> None:
        """The data of the models in the batch (`active`), stacked on the device."""
        dev = self.device
        splits = [self.splits[k] for k in self.active]
        self.x_train = torch.stack([s.x_train for s in splits]).to(dev)  # (K, n, S)
        self.y_train = torch.stack([s.y_train for s in splits]).to(dev)  # (K, n)
        x_test = torch.stack([s.x_test for s in splits]).to(dev)
        self.y_test = torch.stack([s.y_test for s in splits]).to(dev)
        self.train_idx = self.model.flat_index(self.x_train)
        # rows per evaluation chunk: at most eval_chunk, and K * rows * N <= EVAL_CELLS (K of
        # the whole run, so the chunks, and the order of every sum, never change)
        c = min(self.options.eval_chunk, max(1, EVAL_CELLS // (self.K * self.model.width)))
        self.test_chunks = [
            (self.model.flat_index(x_test[:, i : i + c]), self.y_test[:, i : i + c])
            for i in range(0, x_test.shape[1], c)
        ]
        self.train_chunks = [
            (self.model.flat_index(self.x_train[:, i : i + c]), self.y_train[:, i : i + c])
            for i in range(0, self.x_train.shape[1], c)
        ]
        b = self.config.batch_size
        self.full_batch = b is None or b >= self.x_train.shape[1]

    def _minibatch(self) -> tuple[torch.Tensor, torch.Tensor]:
        n = self.x_train.shape[1]
        assert self.config.batch_size is not None
        gens = [self.batch_gens[k] for k in self.active]
        picks = torch.stack(
            [torch.randperm(n, generator=g)[: self.config.batch_size] for g in gens]
        ).to(self.device)
        x = self.x_train.gather(1, picks.unsqueeze(-1).expand(-1, -1, self.n_inputs))
        return self.model.flat_index(x), self.y_train.gather(1, picks)

    # ---- evaluation --------------------------------------------------------------------
    @torch.no_grad()
    def _metrics(
        self, chunks: list[tuple[torch.Tensor, torch.Tensor]]
    ) -> tuple[list[float], list[float]]:
        """Mean loss and accuracy over all rows of ``chunks``, per model in the batch."""
        total = torch.zeros(len(self.active), dtype=torch.float64, device=self.device)
        correct = torch.zeros(len(self.active), dtype=torch.float64, device=self.device)
        count = 0
        for idx, y in chunks:
            loss_sum, n_correct = self.model.loss_sums(idx, y, self.config.loss)
            total += loss_sum
            correct += n_correct
            count += y.shape[1]
        return (total / count).tolist(), (correct / count).tolist()

    def slot(self, k: int) -> int | None:
        """Model k's position in the batched program (``model``), None once it has left."""
        return self.active.index(k) if k in self.active else None

    def weights(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(embed, readout)`` of all K models, stacked as in `BatchedPowerMLP` (copies):
        the running models' current weights, the others' frozen ones."""
        like = {"dtype": self.model.dtype, "device": self.device}
        e = torch.empty((self.K, *self.model.embed.shape[1:]), **like)
        r = torch.empty((self.K, *self.model.readout.shape[1:]), **like)
        for k in range(self.K):
            i = self.slot(k)
            fin = self.finished.get(k, {})
            e[k] = self.model.embed.detach()[i] if i is not None else fin["embed"]
            r[k] = self.model.readout.detach()[i] if i is not None else fin["readout"]
        return e, r

    def weight_norms(self) -> torch.Tensor:
        """Euclidean norm of all weights of each model: ``(K,)`` float64."""
        if len(self.active) < self.K:
            return _norms(*self.weights())
        return _norms(self.model.embed.detach(), self.model.readout.detach())

    def _evaluate(
        self, train_metrics: tuple[list[float], list[float]] | None
    ) -> list[dict[str, Any]]:
        """One record per model: measured for the models in the batch, a copy of the last
        record for those that have left it (callbacks skip finished models)."""
        if train_metrics is None:
            train_metrics = self._metrics(self.train_chunks)
        test_loss, test_acc = self._metrics(self.test_chunks)
        norms = _norms(self.model.embed.detach(), self.model.readout.detach())  # in the batch
        records = [dict(h[-1]) if h else {"step": self.step} for h in self.history]
        for i, k in enumerate(self.active):
            records[k] = {
                "step": self.step,
                "train_loss": float(train_metrics[0][i]),
                "train_accuracy": float(train_metrics[1][i]),
                "test_loss": float(test_loss[i]),
                "test_accuracy": float(test_acc[i]),
                "weight_norm": float(norms[i]),
            }
        return records

    def _record(self, records: list[dict[str, Any]]) -> None:
        for k, r in enumerate(records):
            if k not in self.finished:
                self.history[k].append(r)  # callbacks may add keys to r (mean_ipr)
        for cb in self.callbacks:
            cb.on_eval(self, records)

    def finish_model(self, k: int, reason: str) -> None:
        """Freeze model k's result at the current step; it leaves the batch before the next
        step (`compact_finished`)."""
        if k in self.finished:
            return
        i = self.slot(k)
        assert i is not None, "a model out of the batch is finished"
        self.finished[k] = {
            "reason": reason,
            "step": self.step,
            "embed": self.model.embed[i].detach().clone(),
            "readout": self.model.readout[i].detach().clone(),
        }
        if len(self.finished) == self.K:
            self.should_stop = True

    def _compact(self) -> None:
        """Drop the finished models from the batched program: weights, optimiser state and
        data of the others, in the same order (their arithmetic does not change)."""
        keep = [i for i, k in enumerate(self.active) if k not in self.finished]
        if not self.compact_finished or not keep or len(keep) == len(self.active):
            return
        slots = torch.tensor(keep, device=self.device)
        self.model = self.model.select(slots)
        self.optimizer = self.optimizer.select([self.model.embed, self.model.readout], slots)
        self.active = [self.active[i] for i in keep]
        self._prepare_data()

    # ---- the loop ----------------------------------------------------------------------
    def run(self) -> list[TrainResult]:
        """Train until ``config.steps`` or until every model is finished; one result each."""
        cfg = self.config
        start = self._started = time.perf_counter()
        for cb in self.callbacks:
            cb.on_train_start(self)
        try:
            while True:
                self._compact()
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
            self._started = None
            for cb in self.callbacks:
                cb.on_train_end(self)
        return self.results()

    def results(self) -> list[TrainResult]:
        """One result per model, with the weights at which it finished."""
        out = []
        for k in range(self.K):
            fin = self.finished[k]
            net = self.model.model(0)
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

    # ---- checkpoints (the format lives in checkpoints.py) ------------------------------
    def seconds(self) -> float:
        """Training time so far, over every run() call (and the runs before a resume)."""
        running = 0.0 if self._started is None else time.perf_counter() - self._started
        return self.elapsed + running

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue: weights, optimiser, step, RNG, history, config."""
        return checkpoints.trainer_state(self)

    def load_state_dict(self, state: dict[str, Any]) -> None:
        checkpoints.restore(self, state)

    def save_checkpoint(self, path: str | Path) -> Path:
        return checkpoints.save(self, path)
