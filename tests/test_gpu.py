"""device="auto" everywhere; CUDA checks skip cleanly on a machine without a GPU."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest
import torch

import polyclass as pc

CUDA = torch.cuda.is_available()
needs_cuda = pytest.mark.skipif(not CUDA, reason="needs CUDA")
ROOT = Path(__file__).resolve().parent.parent


def test_device_auto_is_cuda_when_present_else_cpu():
    from polyclass.training import RunOptions, TrainConfig, Trainer, as_task

    expected = "cuda" if CUDA else "cpu"
    assert RunOptions().device == "auto"
    trainer = Trainer([as_task("n1*n2 mod 5")], TrainConfig(width=4), options=RunOptions())
    assert trainer.device.type == expected
    net = pc.compile("n1*n2 mod 5", device="auto")
    assert net.embed.device.type == expected


@needs_cuda
def test_compiled_network_is_exact_on_cuda():
    text = "2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 23"
    net = pc.compile(text, device="cuda")
    assert pc.verify(net, text).accuracy == 1.0


@needs_cuda
def test_batched_training_on_cuda_matches_the_cpu():
    opts = {"width": 32, "steps": 30, "progress": False, "dtype": "float64"}
    gpu = pc.train_many("n1*n2 mod 11", seeds=[0, 1], device="cuda", **opts)
    cpu = pc.train_many("n1*n2 mod 11", seeds=[0, 1], device="cpu", **opts)
    for g, c in zip(gpu, cpu, strict=True):
        assert abs(g.test_accuracy - c.test_accuracy) < 1e-9


def test_gpu_check_benchmark_runs_in_smoke_mode(monkeypatch, capsys, tmp_path):
    out = tmp_path / "gpu.json"
    monkeypatch.setattr(sys, "argv", ["gpu_check.py", "--smoke", "--json", str(out)])
    runpy.run_path(str(ROOT / "benchmarks" / "gpu_check.py"), run_name="__main__")
    text = capsys.readouterr().out
    assert "accuracy 1.0000" in text and "train K=  8" in text
    assert out.read_text().startswith("{")
