"""Resuming from damaged or crafted checkpoints: one clean error, never a traceback.

Also: a resumed ``polyclass train -o`` run folder is complete (initial network, whole-run
time), as if the run had never been interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

import polyclass as pc
from polyclass.cli import main
from polyclass.training import load_checkpoint

QUIET = {"progress": False}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ckpt")
    pc.train(
        "x*y mod 7", width=8, steps=20, checkpoint_every=10, checkpoint_dir=str(folder), **QUIET
    )
    return folder / "latest.pt"


def edited(source: Path, target: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    state = torch.load(source, weights_only=True)
    change(state)
    torch.save(state, target)
    return target


def set_key(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda s: s.__setitem__(key, value)


def set_table(value: int) -> Callable[[dict[str, Any]], None]:
    def change(s: dict[str, Any]) -> None:
        s["tasks"][0]["table"][0, 0] = value

    return change


EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "missing weights": lambda s: s.pop("embed"),
    "missing rng": lambda s: s.pop("rng"),
    "step -5": set_key("step", -5),
    "step is text": set_key("step", "10"),
    "elapsed nan": set_key("elapsed", float("nan")),
    "wrong embed shape": lambda s: s.__setitem__("embed", torch.zeros(1, 2, 7, 9)),
    "nan weights": lambda s: s["readout"].fill_(float("nan")),
    "bad rng state": lambda s: s["rng"].__setitem__("torch", torch.zeros(3, dtype=torch.uint8)),
    "table value >= p": set_table(7),
    "negative table value": set_table(-1),
    "poly for another modulus": lambda s: s["tasks"][0]["poly"].__setitem__("text", "x*y mod 11"),
    "two seeds, one task": set_key("seeds", [0, 1]),
    "config with nan lr": lambda s: s["config"].__setitem__("lr", float("nan")),
    "unknown config key": lambda s: s["config"].__setitem__("colour", "blue"),
    "version 99": set_key("version", 99),
    "version is a tensor": set_key("version", torch.zeros(3)),
    "not a dict": lambda s: None,
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_damaged_checkpoints_are_refused_with_one_error(case, checkpoint, tmp_path, capsys):
    path = tmp_path / "bad.pt"
    if case == "not a dict":
        torch.save([1, 2, 3], path)
    else:
        edited(checkpoint, path, EDITS[case])
    with pytest.raises(pc.PolyclassError):
        load_checkpoint(path)
    assert main(["train", "--resume", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("polyclass train: error:"), err


@pytest.mark.parametrize(
    "content, message",
    [(b"", "cannot be read"), (b"not a checkpoint at all", "cannot be read"), (None, "folder")],
)
def test_files_that_are_not_checkpoints(content, message, checkpoint, tmp_path):
    path = tmp_path / "x.pt"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(pc.TrainConfigError, match=message):
        load_checkpoint(path)


def test_a_truncated_checkpoint_is_refused(checkpoint, tmp_path):
    data = checkpoint.read_bytes()
    path = tmp_path / "cut.pt"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(pc.TrainConfigError, match="not a polyclass checkpoint"):
        load_checkpoint(path)
    with pytest.raises(pc.TrainConfigError, match="does not exist"):
        load_checkpoint(tmp_path / "nothere.pt")
    assert load_checkpoint(checkpoint).step == 20  # the intact file still loads


def test_a_resumed_run_folder_has_the_initial_network_and_the_whole_time(tmp_path, capsys):
    from polyclass.runs import load_run

    straight = tmp_path / "straight"
    assert main(["train", "x*y mod 7", "--width", "8", "--steps", "40", "-o", str(straight)]) == 0
    ckdir = tmp_path / "ck"
    pc.train(
        "x*y mod 7", width=8, steps=20, checkpoint_every=20, checkpoint_dir=str(ckdir), **QUIET
    )
    first_part = load_checkpoint(ckdir / "latest.pt").elapsed
    resumed = tmp_path / "resumed"
    resume = ["train", "--resume", str(ckdir / "latest.pt"), "--steps", "40", "-o", str(resumed)]
    assert main(resume) == 0
    capsys.readouterr()
    initial = load_run(resumed).initial
    assert initial is not None  # rebuilt from the seed: the same weights as a straight run
    assert torch.equal(initial.embed, load_run(straight).initial.embed)
    assert load_run(resumed).result["time_s"] >= first_part > 0  # the first 20 steps count too


def test_a_checkpoint_with_a_long_composite_modulus_is_refused_quickly(checkpoint, tmp_path):
    # issue 13 item 4: the nearest-prime search once took 54 s on a 1,000-digit modulus
    long_modulus = "x*y mod " + "9" * 1000
    path = edited(
        checkpoint, tmp_path / "long.pt", lambda s: s["tasks"][0]["poly"].update(text=long_modulus)
    )
    start = time.perf_counter()
    with pytest.raises(pc.PolyclassError):
        load_checkpoint(path)
    assert time.perf_counter() - start < 5
