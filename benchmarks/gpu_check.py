"""One prepared check for a machine with a GPU: CUDA against the CPU, in the same run.

1. Compile and verify on CUDA: the paper's Appendix B polynomials at p = 97 (exhaustive
   check of all p^2 inputs), compile + verify time on CUDA against the CPU.
2. Batched training throughput at p = 97 (``n1*n2``, N = 500, the paper's recipe): K = 1,
   8 and 64 models trained together for a fixed number of steps, model-steps per second on
   CUDA against the CPU (the CPU runs fewer steps when K is large; rates are per step).

Every figure is a ratio of two measurements taken here, one after the other, so the
machine's load moves both. Without CUDA the script says so and exits with status 0
(nothing to compare). Results are printed and, with ``--json FILE``, written as JSON.

    python benchmarks/gpu_check.py                 # full check (a few minutes on an H100)
    python benchmarks/gpu_check.py --smoke         # seconds (also runs on CPU only)
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import torch

import polyclass as pc
from polyclass.paper import APPENDIX_B
from polyclass.training import RunOptions, TrainConfig, Trainer, as_task


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def compile_verify(poly: str, device: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    net = pc.compile(poly, device=device)
    _sync(device)
    t1 = time.perf_counter()
    report = pc.verify(net, poly)
    _sync(device)
    t2 = time.perf_counter()
    return {"compile_s": t1 - t0, "verify_s": t2 - t1, "accuracy": report.accuracy}


def throughput(p: int, width: int, K: int, steps: int, device: str) -> float:
    """Model-steps per second of K models trained together (after one warm-up step)."""
    a = torch.arange(p)
    table = ((a[:, None] * a[None, :]) % p).numpy()  # n1 * n2 mod p, plain integers
    cfg = TrainConfig(width=width, steps=10**6, track_ipr=False)
    trainer = Trainer(
        [as_task(table, p=p)] * K,
        cfg,
        seeds=list(range(K)),
        options=RunOptions(device=device, progress=False),
    )
    model, opt = trainer.model, trainer.optimizer

    def step() -> None:
        model.loss_and_grad(trainer.train_idx, trainer.y_train, cfg.loss, metrics=False)
        opt.step()

    step()
    _sync(device)
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    _sync(device)
    return K * steps / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny settings (seconds)")
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    args = parser.parse_args()
    smoke = args.smoke or os.environ.get("POLYCLASS_SMOKE") == "1"
    cuda = torch.cuda.is_available()
    out: dict[str, Any] = {"cuda": cuda, "torch": torch.__version__}
    if cuda:
        out["gpu"] = torch.cuda.get_device_name(0)
    elif not smoke:
        print("no CUDA device: nothing to compare (run this on a machine with a GPU)")
        return
    devices = ["cpu", "cuda"] if cuda else ["cpu"]
    p = 23 if smoke else 97
    polys = [f"{text} mod {p}" for text, _ in APPENDIX_B[: 1 if smoke else 3]]
    out["compile_verify"] = {
        poly: {dev: compile_verify(poly, dev) for dev in devices} for poly in polys
    }
    for poly, by_dev in out["compile_verify"].items():
        line = ", ".join(
            f"{dev}: compile {r['compile_s']:.2f} s, verify {r['verify_s']:.3f} s, "
            f"accuracy {r['accuracy']:.4f}"
            for dev, r in by_dev.items()
        )
        print(f"{poly}: {line}")
    width = 32 if smoke else 500
    out["training"] = []
    for K in (1, 8) if smoke else (1, 8, 64):
        row: dict[str, Any] = {"K": K, "p": p, "width": width}
        for dev in devices:
            steps = 3 if smoke else (200 if dev == "cuda" else max(5, 200 // K))
            row[f"{dev}_model_steps_per_s"] = throughput(p, width, K, steps, dev)
        if cuda:
            row["cuda_over_cpu"] = row["cuda_model_steps_per_s"] / row["cpu_model_steps_per_s"]
        out["training"].append(row)
        print(
            f"train K={K:3d} p={p} N={width}: "
            + ", ".join(f"{k} {v:.1f}" for k, v in row.items() if k.endswith("_per_s"))
            + (f", CUDA/CPU {row['cuda_over_cpu']:.1f}x" if cuda else "")
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
