"""Time per training step: polyclass's trainer against a plain PyTorch reference.

1. One full-batch step at the paper's configuration (p = 97, N = 5000, 50% of the table,
   MSE, AdamW lr 0.005 wd 5): polyclass's engine (gathers, hand-written backward, fused
   in-place AdamW) against the reference (concatenated one-hot inputs, ``nn.Linear``,
   autograd, ``torch.optim.AdamW``).
2. K = 8 models at p = 23, N = 500: one batched ``train_many`` against 8 sequential
   ``train`` runs (same steps, same evaluation schedule).
3. The same 8 models stopped one after another (model k at step ``(k + 1) * steps / 8``,
   as a settle rule stops runs at different steps): finished models leaving the batch
   (the trainer's default) against the same batch with them computing, unused, until its
   end (``Trainer.compact_finished = False``, the trainer before 2026-12-02).

Both sides run in the same process, interleaved, and the ratio of medians is reported, so
a noisy shared machine moves both numbers together. ``--smoke`` shrinks everything.

    python benchmarks/train_step.py            # full configuration
    python benchmarks/train_step.py --smoke    # seconds, for tests
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import torch
from torch import nn

import polyclass as pc
from polyclass.training import Callback, RunOptions, Trainer, as_task, default_init_std


def _table(p: int) -> torch.Tensor:
    a = torch.arange(p)
    return (a[:, None] * a[None, :]) % p  # n1 * n2 mod p, plain integer arithmetic


class Reference(nn.Module):
    """The straightforward implementation: one-hot concat -> Linear -> x^2 -> Linear."""

    def __init__(self, p: int, width: int, std: float) -> None:
        super().__init__()
        self.p = p
        self.embed = nn.Linear(2 * p, width, bias=False)
        self.readout = nn.Linear(width, p, bias=False)
        nn.init.normal_(self.embed.weight, std=std)
        nn.init.normal_(self.readout.weight, std=std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        onehot = torch.cat(
            [nn.functional.one_hot(x[:, 0], self.p), nn.functional.one_hot(x[:, 1], self.p)], 1
        ).float()
        return self.readout(self.embed(onehot) ** 2)


def _interleaved(fns: dict[str, Callable[[], None]], repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for f in fns.values():
        f()  # warm-up (allocations, workspaces)
    for _ in range(repeats):
        for name, f in fns.items():
            t0 = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t0)
    return times


def bench_step(p: int, width: int, repeats: int) -> dict[str, float]:
    cfg = pc.TrainConfig(width=width, steps=10**6)
    trainer = Trainer([as_task(_table(p).numpy(), p=p)], cfg, options=RunOptions(device="cpu"))
    model, opt = trainer.model, trainer.optimizer

    def ours() -> None:
        model.loss_and_grad(trainer.train_idx, trainer.y_train, "mse")
        opt.step()

    ref = Reference(p, width, default_init_std(width))
    ref_opt = torch.optim.AdamW(ref.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    x = trainer.x_train[0]
    y = nn.functional.one_hot(trainer.y_train[0], p).float()

    def reference() -> None:
        ref_opt.zero_grad(set_to_none=True)
        loss = nn.functional.mse_loss(ref(x), y)
        loss.backward()
        ref_opt.step()

    t = _interleaved({"polyclass": ours, "reference": reference}, repeats)
    return {k: statistics.median(v) for k, v in t.items()}


def bench_many(p: int, width: int, k: int, steps: int) -> dict[str, float]:
    opts = {"width": width, "steps": steps, "progress": False, "early_stop": False}
    opts["device"] = "cpu"
    seeds = list(range(k))
    table = _table(p).numpy()

    def batched() -> None:
        pc.train_many(table, p=p, seeds=seeds, **opts)

    def sequential() -> None:
        for s in seeds:
            pc.train(table, p=p, seed=s, **opts)

    t = _interleaved({"batched": batched, "sequential": sequential}, 3)
    return {name: statistics.median(v) / steps for name, v in t.items()}


class _Staggered(Callback):
    """Finish model k at step ``stops[k]``; ``compact``: whether finished models leave."""

    def __init__(self, stops: list[int], compact: bool) -> None:
        self.stops, self.compact = stops, compact

    def on_train_start(self, trainer: Trainer) -> None:
        trainer.compact_finished = self.compact

    def on_eval(self, trainer: Trainer, records: list[dict]) -> None:
        for k, stop in enumerate(self.stops):
            if trainer.step >= stop:
                trainer.finish_model(k, "staggered")


def bench_staggered(p: int, width: int, k: int, steps: int) -> dict[str, float]:
    opts = {"width": width, "steps": steps, "progress": False, "early_stop": False}
    opts.update(device="cpu", eval_every=max(1, steps // (4 * k)))
    stops = [(i + 1) * steps // k for i in range(k)]
    table, seeds = _table(p).numpy(), list(range(k))
    results: dict[str, list[pc.TrainResult]] = {}

    def run(name: str, compact: bool) -> Callable[[], None]:
        def go() -> None:
            cb = _Staggered(stops, compact)
            results[name] = pc.train_many(table, p=p, seeds=seeds, callbacks=[cb], **opts)

        return go

    t = _interleaved({"leave": run("leave", True), "stay": run("stay", False)}, 3)
    for a, b in zip(results["leave"], results["stay"], strict=True):  # the same results
        assert a.steps_run == b.steps_run and torch.equal(a.model.embed, b.model.embed)
    return {name: statistics.median(v) for name, v in t.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (for tests)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    smoke = args.smoke or os.environ.get("POLYCLASS_SMOKE") == "1"
    p1, n1, rep = (23, 64, 2) if smoke else (97, 5000, args.repeats)
    p2, n2, k, steps = (11, 32, 2, 5) if smoke else (23, 500, 8, 200)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    s = bench_step(p1, n1, rep)
    ratio = s["reference"] / s["polyclass"]
    print(
        f"full-batch step, p={p1}, N={n1}, 50%, MSE, AdamW: "
        f"polyclass {s['polyclass'] * 1e3:.1f} ms, reference {s['reference'] * 1e3:.1f} ms "
        f"-> {ratio:.2f}x faster (target >= 2x)"
    )
    m = bench_many(p2, n2, k, steps)
    ratio = m["sequential"] / m["batched"]
    print(
        f"K={k} models, p={p2}, N={n2}, {steps} steps: batched {m['batched'] * 1e3:.2f} ms/step, "
        f"sequential {m['sequential'] * 1e3:.2f} ms/step -> {ratio:.2f}x faster (target >= 2x)"
    )
    g = bench_staggered(p2, n2, k, steps)
    print(
        f"K={k} models stopped one after another over {steps} steps: finished models leave "
        f"the batch {g['leave']:.2f} s, stay {g['stay']:.2f} s -> "
        f"{g['stay'] / g['leave']:.2f}x faster (ideal {2 * k / (k + 1):.2f}x)"
    )


if __name__ == "__main__":
    main()
