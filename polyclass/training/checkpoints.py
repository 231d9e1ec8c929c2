"""The checkpoint format: a trainer's full state in one ``torch.save`` file.

A checkpoint holds the hyperparameters, the run options, the tasks (value table, and the
polynomial's text when there is one), weights, optimiser state, step, RNG states, history,
events and the state of every callback that has one (``state_dict``/``load_state_dict``,
keyed by class name). Resuming from it gives the same result, bit for bit, as a run that
was never interrupted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from ..errors import PolyclassError, TrainConfigError
from ..structure import Structure
from ..validation import as_table
from .config import RunOptions, TrainConfig, split_options
from .data import Task

if TYPE_CHECKING:  # pragma: no cover
    from .loop import Trainer

CHECKPOINT_VERSION = 2


def trainer_state(trainer: Trainer) -> dict[str, Any]:
    """Everything needed to continue a run (CPU tensors and plain Python values).

    Laid out for all K models whether or not finished ones have left the batch: their
    frozen weights, and zeros for their optimiser state (never used again)."""
    embed, readout = trainer.weights()
    return {
        "version": CHECKPOINT_VERSION,
        "config": trainer.config.to_dict(),
        "options": trainer.options.to_dict(),
        "seeds": list(trainer.seeds),
        "tasks": [task_state(t) for t in trainer.tasks],
        "step": trainer.step,
        "embed": embed.cpu(),
        "readout": readout.cpu(),
        "optimizer": _all_models(trainer, trainer.optimizer.state_dict()),
        "rng": {
            "batch": [g.get_state() for g in trainer.batch_gens],
            "torch": torch.get_rng_state(),
        },
        "history": [list(h) for h in trainer.history],
        "events": [dict(e) for e in trainer.events],
        "callbacks": _callback_states(trainer),
        "finished": {k: dict(v) for k, v in trainer.finished.items()},
        "elapsed": trainer.seconds(),  # mid-run too: a resumed run's time_s is the whole run
    }


def _all_models(trainer: Trainer, optimizer: dict[str, Any]) -> dict[str, Any]:
    """The optimiser's state with a row per model of the run (zeros for those out)."""
    if len(trainer.active) == trainer.K:
        return optimizer
    state = []
    for s in optimizer["state"]:
        full = {}
        for name, v in s.items():
            full[name] = v.new_zeros((trainer.K, *v.shape[1:]))
            full[name][torch.tensor(trainer.active, device=v.device)] = v
        state.append(full)
    return dict(optimizer, state=state)


def _callback_states(trainer: Trainer) -> dict[str, Any]:
    states = {}
    for cb in trainer.callbacks:
        get = getattr(cb, "state_dict", None)
        if get is not None:
            states[type(cb).__name__] = get()
    return states


def restore(trainer: Trainer, state: dict[str, Any]) -> None:
    """Put a trainer (built with the checkpoint's tasks, config and seeds) in that state."""
    if len(trainer.active) < trainer.K:
        raise TrainConfigError(
            "a checkpoint loads into a trainer that has not run (load_checkpoint builds one)"
        )
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
    """A checkpoint's state, in the current version's layout, checked before any use.

    A missing file, a folder, a file that is not a checkpoint (empty, truncated, another
    format) or one whose content does not fit together raises TrainConfigError.
    """
    path = Path(path)
    if not path.exists():
        raise TrainConfigError(f"checkpoint {str(path)!r} does not exist")
    if not path.is_file():
        raise TrainConfigError(f"checkpoint {str(path)!r} is a folder, not a checkpoint file")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same user error
        raise TrainConfigError(
            f"{str(path)!r} is not a polyclass checkpoint (cannot be read: "
            f"{type(exc).__name__}); write one with checkpoint_every= or Ctrl-C in train"
        ) from None
    version = state.get("version") if isinstance(state, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        version = None  # a tensor or text here must not reach a comparison
    if version == 1:  # hyperparameters and run options in one dict; collapse state loose
        _require(state, path, ("config", "near_zero_since", "init_norm"))
        hyper, run = split_options(dict(state["config"]))
        near = state.pop("near_zero_since")
        state["callbacks"] = {
            "CollapseDetector": {"init_norm": state.pop("init_norm"), "near_zero_since": near}
        }
        state["config"], state["options"] = hyper, run
    elif version != CHECKPOINT_VERSION:
        raise TrainConfigError(
            f"{str(path)!r} is not a polyclass checkpoint (version 1 or {CHECKPOINT_VERSION})"
        )
    _check_state(state, path)
    return state


_KEYS = (
    "config options seeds tasks step embed readout optimizer rng history events callbacks "
    "finished elapsed"
).split()


def _require(state: dict[str, Any], path: Path, keys: Sequence[str]) -> None:
    missing = [k for k in keys if k not in state]
    if missing:
        raise TrainConfigError(
            f"checkpoint {str(path)!r} is incomplete: it lacks {', '.join(missing)}"
        )


def _check_state(state: dict[str, Any], path: Path) -> None:
    """Types, shapes and ranges of everything `restore` reads (no tensor is built)."""

    def bad(what: str) -> TrainConfigError:
        return TrainConfigError(f"checkpoint {str(path)!r} is damaged: {what}")

    _require(state, path, _KEYS)
    for key, kind in (("config", dict), ("options", dict), ("seeds", list), ("tasks", list)):
        if not isinstance(state[key], kind):
            raise bad(f"{key} is not a {kind.__name__}")
    for key in ("history", "events"):
        if not isinstance(state[key], list) or len(state[key]) != len(state["tasks"]):
            raise bad(f"{key} does not have one entry per model")
    if not isinstance(state["callbacks"], dict) or not isinstance(state["finished"], dict):
        raise bad("callbacks or finished is not a dict")
    step = state["step"]
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise bad(f"step must be a non-negative integer, not {step!r}")
    elapsed = state["elapsed"]
    if not isinstance(elapsed, (int, float)) or not 0 <= elapsed < float("inf"):
        raise bad(f"elapsed must be a finite number of seconds >= 0, not {elapsed!r}")
    K = len(state["tasks"])
    if K == 0 or len(state["seeds"]) != K:
        raise bad(f"{K} tasks but {len(state['seeds'])} seeds")
    for task in state["tasks"]:
        if not isinstance(task, dict) or not {"table", "p", "label", "poly"} <= set(task):
            raise bad("a task lacks its table, p, label or polynomial")
        if not isinstance(task["table"], torch.Tensor) or task["table"].dtype != torch.int64:
            raise bad("a task's table is not an int64 tensor")
        try:
            as_table(task["table"].numpy(), task["p"])
        except PolyclassError as err:
            raise bad(f"task {task['label']!r}: {err}") from None
    table = state["tasks"][0]["table"]
    S, p = table.dim(), int(state["tasks"][0]["p"])
    width = state["config"].get("width")
    for name, shape in (("embed", (K, S, p, width)), ("readout", (K, p, width))):
        value = state[name]
        if not isinstance(value, torch.Tensor) or tuple(value.shape) != shape:
            got = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
            raise bad(f"{name} has shape {got}, expected {shape} (models, inputs, p, width)")
        if not value.is_floating_point() or not bool(torch.isfinite(value).all()):
            raise bad(f"{name} is not a finite floating-point tensor")
    rng = state["rng"]
    batch = rng.get("batch") if isinstance(rng, dict) else None
    if not isinstance(batch, list) or len(batch) != K or "torch" not in rng:
        raise bad("the random-number-generator states are missing or incomplete")
    reference = torch.Generator().get_state()
    for g in [*batch, rng["torch"]]:
        if not isinstance(g, torch.Tensor) or g.dtype != torch.uint8 or g.shape != reference.shape:
            raise bad("a random-number-generator state is not a valid generator state")


def settings(state: dict[str, Any]) -> tuple[TrainConfig, RunOptions]:
    """The hyperparameters and run options a checkpoint was written with."""
    return TrainConfig.from_dict(state["config"]), RunOptions(**state["options"])


def task_state(task: Task) -> dict[str, Any]:
    poly, known = task.poly, task.structure
    structure = known if isinstance(known, Structure) else getattr(known, "structure", None)
    return {
        "table": torch.from_numpy(task.table.copy()),
        "p": task.p,
        "label": task.label,
        "poly": None if poly is None else {"text": str(poly), "variables": list(poly.variables)},
        "structure": None if structure is None else structure.to_dict(),
    }


def task_from_state(d: dict[str, Any]) -> Task:
    poly = None
    if d["poly"] is not None:
        from ..modpoly import parse  # the parser needs SymPy; training does not import it

        poly = parse(d["poly"]["text"], variables=tuple(d["poly"]["variables"]))
        if poly.p != int(d["p"]) or poly.nvars != d["table"].dim():
            raise TrainConfigError(
                f"checkpoint task {d['label']!r}: the polynomial {poly} does not match its "
                f"table of shape {tuple(d['table'].shape)} mod {d['p']}"
            )
    structure = None
    if d.get("structure") is not None:  # checkpoints before version 2.1 have none
        try:
            structure = Structure.from_dict(d["structure"])
            same = np.array_equal(structure.table(), d["table"].numpy())
        except (TypeError, ValueError, KeyError, IndexError, PolyclassError) as err:
            bad = f"checkpoint task {d['label']!r}: bad structure ({err})"
            raise TrainConfigError(bad) from None
        if not same:
            raise TrainConfigError(
                f"checkpoint task {d['label']!r}: its structure does not give its table"
            )
    return Task(
        table=d["table"].numpy(), p=int(d["p"]), label=d["label"], poly=poly, structure=structure
    )
