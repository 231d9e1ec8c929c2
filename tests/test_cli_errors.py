"""Every subcommand, given bad input, prints one line and exits with status 2 (no traceback).

Run in-process through ``polyclass.cli.main`` (the same code the entry point runs), so that
dozens of bad inputs take seconds; crafted network files and checkpoints are written here.
"""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path

import pytest
import torch

import polyclass as pc
from polyclass.cli import main

BAD_CALLS = [
    ["parse", "x mod ３"],
    ["parse", "x mod ٣"],
    ["parse", "x mod " + "9" * 1000],
    ["parse", "x^" + "9" * 5000 + " mod 7"],
    ["parse", "x mod 8"],
    ["parse", "sin(x) mod 7"],
    ["decompose", "x +* y mod 7"],
    ["decompose", "x*y mod 7", "--dot", "/no/such/dir/d.dot"],
    ["compile", "x*y mod 7", "-o", "/no/such/dir/f.safetensors"],
    ["compile", "x*y mod 7", "--device", "tpu"],
    ["compile", "x*y mod 7", "--device", "cuda:7"],
    ["compile", "x*y mod 7", "--width", "lots"],
    ["compile", "5 mod 7"],
    ["compile", "x*y*z mod 409"],  # its check is above the input cap: refused before compiling
    ["verify", "x*y*z mod 409"],
    ["compile", "x*y mod " + "9" * 5000],
    ["decompose", "x*y mod " + "9" * 5000],
    ["verify", "missing.safetensors"],
    ["verify", "x*y mod 7", "--device", "quantum"],
    ["verify", "x*y mod 7", "--max-memory", "lots"],
    ["verify", "x*y mod 7", "--max-memory", "1K"],
    ["compile", "x*y mod 7", "--max-memory", "-5"],
    ["classify", "x*y mod 7", "--time-budget", "nan"],
    ["classify", "x*y mod 7", "--time-budget", "0"],
    ["classify", "x*y mod 7", "--alpha", "inf"],
    ["train", "--p", "7"],
    ["train", "x*y mod 7", "--lr", "inf"],
    ["train", "x*y mod 7", "--lr", "0"],
    ["train", "x*y mod 7", "--wd", "nan"],
    ["train", "x*y mod 7", "--width", "1000000000000"],
    ["train", "x*y mod 7", "--train-fraction", "1.5"],
    ["train", "x*y mod 7", "--device", "tpu"],
    ["train", "--resume", "nothere.pt"],
    ["train", "--resume", "."],
    ["check", "x*y mod 7", "--steps", "0"],
    ["check", "x*y mod 7", "--lr", "-1"],
    ["plot", "nothere", "-o", "x.png"],
    ["sweep", "--family", "nonsense family spec", "--db", "DB"],
    ["sweep", "--family", "vars=2, degree=2, coeffs=1, p=7", "--db", "DB", "--workers", "0"],
    ["sweep", "--family", "vars=2, degree=2, coeffs=1, p=7", "--db", "DB", "--seeds", "0"],
    ["atlas", "no_such.sqlite"],
]


def assert_clean_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status = main(argv)
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert status == 2, (argv, status, captured.out[-500:], err[-500:])
    assert "Traceback" not in err and len(err.splitlines()) == 1, (argv, err)
    assert err.startswith(f"polyclass {argv[0]}: error: "), err
    return err


@pytest.mark.parametrize("argv", BAD_CALLS, ids=lambda a: " ".join(a)[:60])
def test_bad_input_gives_one_line_and_status_2(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = [str(tmp_path / "atlas.sqlite") if a == "DB" else a for a in argv]
    assert_clean_error(argv, capsys)


def test_messages_say_what_is_wrong(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "does not exist" in assert_clean_error(["verify", "missing.safetensors"], capsys)
    assert "needs a polynomial" in assert_clean_error(["train", "--p", "7"], capsys)
    assert "'lr' must be a finite positive number, not inf" in assert_clean_error(
        ["train", "x*y mod 7", "--lr", "inf"], capsys
    )
    assert "'steps' must be an integer >= 1" in assert_clean_error(
        ["check", "x*y mod 7", "--steps", "0"], capsys
    )
    refused = assert_clean_error(["verify", "x*y mod 7", "--max-memory", "1K"], capsys)
    assert "x*y mod 7 needs about" in refused and "above the memory cap of 1.0 KiB" in refused
    assert "--max-memory" in refused
    start = time.perf_counter()
    assert "--no-verify" in assert_clean_error(["compile", "x*y*z mod 409"], capsys)
    assert time.perf_counter() - start < 5  # refused before the network is built
    width = str(10**12)
    assert "GiB" in assert_clean_error(["train", "x*y mod 7", "--width", width], capsys)


# ---- crafted network files ---------------------------------------------------------------------


def write_safetensors(path: Path, header: object, tensors: dict[str, torch.Tensor]) -> None:
    """A safetensors file written by hand, so its header can say anything."""
    entries: dict[str, object] = {"__metadata__": {"polyclass": json.dumps(header)}}
    blob = b""
    for name, t in tensors.items():
        data = t.contiguous().numpy().tobytes()
        dtype = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}[t.dtype]
        entries[name] = {
            "dtype": dtype,
            "shape": list(t.shape),
            "data_offsets": [len(blob), len(blob) + len(data)],
        }
        blob += data
    raw = json.dumps(entries).encode()
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + blob)


def mlp_header(**changes: object) -> dict[str, object]:
    config = {"n_inputs": 2, "in_dim": 7, "width": 4, "out_dim": 7, "power": 2}
    config.update(changes)
    return {"kind": "PowerMLP", "config": config, "metadata": {"polynomial": "x*y mod 7"}}


def good_tensors(S: int = 2, p: int = 7, width: int = 4) -> dict[str, torch.Tensor]:
    return {"embed": torch.zeros(S, p, width), "readout": torch.zeros(p, width)}


CRAFTED = {
    "empty": (None, None),
    "not safetensors": (None, b"hello world, not a network"),
    "no header": ({"kind": "PowerMLP"}, "drop-config"),
    "unknown kind": ({"kind": "Transformer", "config": {}}, good_tensors()),
    "width 10^12": (mlp_header(width=10**12), good_tensors()),
    "width is text": (mlp_header(width="4"), good_tensors()),
    "negative inputs": (mlp_header(n_inputs=-1), good_tensors()),
    "missing tensor": (mlp_header(), {"embed": torch.zeros(2, 7, 4)}),
    "wrong shape": (mlp_header(), good_tensors(width=5)),
    "integer weights": (mlp_header(), {k: v.long() for k, v in good_tensors().items()}),
    "metadata mod 29, weights mod 23": (
        {**mlp_header(in_dim=23, out_dim=23), "metadata": {"polynomial": "x*y mod 29"}},
        good_tensors(p=23),
    ),
    "metadata is a list": ({**mlp_header(), "metadata": [1, 2]}, good_tensors()),
    "expert network without stages": (
        {"kind": "ExpertNetwork", "config": {"n_inputs": 2, "p": 7, "beta": 1.0, "stages": []}},
        good_tensors(),
    ),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_crafted_network_files_are_refused_cleanly(case, tmp_path, capsys):
    header, body = CRAFTED[case]
    path = tmp_path / "net.safetensors"
    if header is None:
        path.write_bytes(body or b"")
    elif body == "drop-config":
        write_safetensors(path, header, good_tensors())
    else:
        write_safetensors(path, header, body)
    with pytest.raises(pc.PolyclassError):
        pc.load(path, device="cpu")
    for argv in (["verify", str(path)], ["plot", str(path), "-o", str(tmp_path / "f.png")]):
        assert_clean_error(argv, capsys)


def test_a_truncated_network_file_is_refused(tmp_path):
    net = pc.compile("x*y mod 7", device="cpu")
    path = tmp_path / "net.safetensors"
    net.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])
    with pytest.raises(pc.PolyclassError, match="damaged|not a polyclass"):
        pc.load(path, device="cpu")
    path.write_bytes(data)
    assert pc.verify(pc.load(path, device="cpu")).accuracy == 1.0  # the intact file loads
