"""Compile + exhaustive verify of an Appendix B polynomial at p = 97, against dense evaluation.

Times, in one run on the same machine:
  * ``pc.compile`` (exact and paper methods) and ``pc.verify`` over all p^2 inputs
    (gathers, chunked);
  * evaluating the same network on all p^2 inputs with dense one-hot matmuls (every input
    one-hot encoded, every embedding applied as a ``(batch, S, p) x (S, p, N)`` matmul),
and prints the ratio (compile + verify) / (dense evaluation).

    .venv/bin/python benchmarks/compile_verify.py [--p 97] [--repeats 3]
"""

from __future__ import annotations

import argparse
import itertools
import time

import torch
import torch.nn.functional as F

import polyclass as pc

TEXT = "2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3"


def dense_forward(net: torch.nn.Module, x: torch.Tensor, p: int) -> torch.Tensor:
    """The network evaluated with one-hot inputs and matmuls only (no gathers)."""
    if isinstance(net, pc.PowerMLP):
        onehot = F.one_hot(x, p).to(net.embed.dtype)
        return net(onehot)
    assert isinstance(net, pc.ExpertNetwork)
    outs: dict[str, torch.Tensor] = {}
    dtype = net.expert(net.output).embed.dtype
    for name, inputs in net.routes.items():
        parts = []
        for ref in inputs:
            if ref in outs:
                parts.append(torch.softmax(net.beta * outs[ref], dim=-1))
            else:
                parts.append(F.one_hot(x[:, int(ref[1:])], p).to(dtype))
        outs[name] = net.expert(name)(torch.stack(parts, dim=1))
    return outs[net.output]


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--p", type=int, default=97)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    p = args.p
    text = f"{TEXT} mod {p}"
    P = pc.parse(text)
    P.table()  # the exact table is not part of either timing
    x = torch.tensor(list(itertools.product(range(p), repeat=2)), dtype=torch.long)
    print(f"{text}: {p * p} inputs, best of {args.repeats}")
    print(f"{'method':>6} {'widths':>22} {'compile s':>9} {'verify s':>9} {'dense s':>9} "
          f"{'(c+v)/dense':>11} {'accuracy':>8}")  # fmt: skip
    for method, width in (("exact", None), ("paper", (500, 2000))):
        t_compile = best_of(
            args.repeats,
            lambda m=method, w=width: pc.compile(text, method=m, width=w, device="cpu"),
        )  # from the text: parse + decompose + weights
        net = pc.compile(text, method=method, width=width, device="cpu")
        t_verify = best_of(args.repeats, lambda n=net: pc.verify(n, P, chunk_size=args.chunk))
        R = pc.verify(net, P, chunk_size=args.chunk)

        def dense(n=net) -> None:
            with torch.no_grad():
                for start in range(0, len(x), args.chunk):
                    dense_forward(n, x[start : start + args.chunk], p).argmax(dim=1)

        t_dense = best_of(args.repeats, dense)
        with torch.no_grad():
            same = torch.equal(dense_forward(net, x, p).argmax(dim=1), net(x).argmax(dim=1))
        assert same, "dense and gather evaluation disagree"
        print(
            f"{method:>6} {str(net.widths):>22} {t_compile:>9.3f} {t_verify:>9.3f} "
            f"{t_dense:>9.3f} {(t_compile + t_verify) / t_dense:>11.2f} {R.accuracy:>8.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
