"""The checkpoint format: a trainer's full state in one ``torch.save`` file.

A checkpoint holds the hyperparameters, the run options, the tasks (value table, and the
polynomial's text when there is one), weights, optimiser state, step, RNG states, history,
events and the state of every callback that has one (``state_dict``/``load_state_dict``,
keyed by class name). Resuming from it gives the same result, bit for bit, as a run that
was never interrupted.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from ..errors import TrainConfigError
from .config import RunOptions, TrainConfig, split_options
from .data import Task

if TYPE_CHECKING:  # pragma: no cover
    from .loop import Trainer

CHECKPOINT_VERSION = 2


def trainer_state(trainer: Trainer) -> dict[str, Any]:
    """Everything needed to continue a run (CPU tensors and plain Python values)."""
    return {
        "version": CHECKPOINT_VERSION,
        "config": trainer.config.to_dict(),
        "options": trainer.options.to_dict(),
        "seeds": list(trainer.seeds),
        "tasks": [task_state(t) for t in trainer.tasks],
        "step": trainer.step,
        "embed": trainer.model.embed.detach().cpu().clone(),
        "readout": trainer.model.readout.detach().cpu().clone(),
        "optimizer": trainer.optimizer.state_dict(),
        "rng": {
            "batch": [g.get_state() for g in trainer.batch_gens],
            "torch": torch.get_rng_state(),
        },
        "history": [list(h) for h in trainer.history],
        "events": [dict(e) for e in trainer.events],
        "callbacks": _callback_states(trainer),
        "finished": {k: dict(v) for k, v in trainer.finished.items()},
        "elapsed": trainer.elapsed,
    }


def _callback_states(trainer: Trainer) -> dict[str, Any]:
    states = {}
    for cb in trainer.callbacks:
        get = getattr(cb, "state_dict", None)
        if get is not None:
            states[type(cb).__name__] = get()
    return states


def restore(trainer: Trainer, state: dict[str, Any]) -> None:
    """Put a trainer (built with the checkpoint's tasks, config and seeds) in that state."""
    with torch.no_grad():
        trainer.model.embed.copy_(state["embed"])
        trainer.model.readout.copy_(state["readout"])
    trainer.optimizer.load_state_dict(state["optimizer"])
    for g, s in zip(trainer.batch_gens, state["rng"]["batch"], strict=True):
        g.set_state(s)
    torch.set_rng_state(state["rng"]["torch"])
    trainer.step = state["step"]
    trainer.history = [list(h) for h in state["history"]]
    trainer.events = [dict(e) for e in state["events"]]
    saved = state["callbacks"]
    for cb in trainer.callbacks:
        load = getattr(cb, "load_state_dict", None)
        if load is not None and type(cb).__name__ in saved:
            load(saved[type(cb).__name__])
    dev = trainer.device
    trainer.finished = {
        int(k): {**v, "embed": v["embed"].to(dev), "readout": v["readout"].to(dev)}
        for k, v in state["finished"].items()
    }
    trainer.should_stop = len(trainer.finished) == trainer.K
    trainer.elapsed = float(state["elapsed"])


def save(trainer: Trainer, path: str | Path) -> Path:
    """Write the trainer's state to ``path`` (through a temporary file, then a rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(trainer_state(trainer), tmp)
    tmp.replace(path)
    return path


def read(path: str | Path) -> dict[str, Any]:
    """A checkpoint's state, in the current version's layout."""
    state = torch.load(Path(path), map_location="cpu", weights_only=True)
    version = state.get("version") if isinstance(state, dict) else None
    if version == 1:  # hyperparameters and run options in one dict; collapse state loose
        hyper, run = split_options(state["config"])
        near = state.pop("near_zero_since")
        state["callbacks"] = {
            "CollapseDetector": {"init_norm": state.pop("init_norm"), "near_zero_since": near}
        }
        state["config"], state["options"] = hyper, run
    elif version != CHECKPOINT_VERSION:
        raise TrainConfigError(
            f"{path} is not a polyclass checkpoint (version 1 or {CHECKPOINT_VERSION})"
        )
    return state


def settings(state: dict[str, Any]) -> tuple[TrainConfig, RunOptions]:
    """The hyperparameters and run options a checkpoint was written with."""
    return TrainConfig.from_dict(state["config"]), RunOptions(**state["options"])


def task_state(task: Task) -> dict[str, Any]:
    poly = task.poly
    return {
        "table": torch.from_numpy(task.table.copy()),
        "p": task.p,
        "label": task.label,
        "poly": None if poly is None else {"text": str(poly), "variables": list(poly.variables)},
    }


def task_from_state(d: dict[str, Any]) -> Task:
    poly = None
    if d["poly"] is not None:
        from ..modpoly import parse  # the parser needs SymPy; training does not import it

        poly = parse(d["poly"]["text"], variables=tuple(d["poly"]["variables"]))
    return Task(table=d["table"].numpy(), p=int(d["p"]), label=d["label"], poly=poly)
