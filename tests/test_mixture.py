"""Every polynomial compiles: low-rank mixtures, bounded memory, refusals with the estimate."""

from __future__ import annotations

import math
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import polyclass as pc
from polyclass.errors import CompileError
from polyclass.experts import core
from polyclass.experts.budget import expert_bytes, plan_bytes
from polyclass.experts.design import (
    GREEDY_MAX,
    frequency_order,
    lattice,
    lattice_size,
    lazy_order,
)
from polyclass.experts.mixture import mixture_candidates, rank_factor, split_pieces
from polyclass.experts.multiplication import product_spec

from reference import eval_terms, table_of, terms_text

ROOT = Path(__file__).resolve().parents[1]


def random_terms(k: int, p: int, nvars: int, seed: int) -> dict[tuple[int, ...], int]:
    """``k`` distinct monomials (exponents up to a degree that leaves room) with random
    non-zero coefficients, the constant allowed."""
    rng = random.Random(seed)
    degree = 1
    while (degree + 1) ** nvars < 2 * k + 1:
        degree += 1
    pool = [e for e in np.ndindex(*(degree + 1,) * nvars) if any(e)]
    chosen = rng.sample(pool, k)
    terms = {tuple(int(x) for x in e): rng.randrange(1, p) for e in chosen}
    terms[(0,) * nvars] = rng.randrange(p)
    return terms


def reference_table(terms: dict[tuple[int, ...], int], p: int, nvars: int) -> np.ndarray:
    return table_of(lambda *n: eval_terms(terms, n, p), p, nvars)


def compiled_accuracy(terms, p, nvars, names=("x", "y", "z", "w"), **kw):
    text = f"{terms_text(terms, names[:nvars])} mod {p}"
    net = pc.compile(text, device="cpu", **kw)
    # small chunks: verify's default sizes chunks by the widest stage, not by the number of
    # stages a mixture caches per input
    report = pc.verify(net, table=reference_table(terms, p, nvars), chunk_size=2048)
    return report.accuracy, net


# ---- the rank factorisation -------------------------------------------------------------------


@pytest.mark.parametrize("p", [2, 23, 211])
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (6, 6), (7, 2)])
def test_rank_factor_reproduces_the_matrix(p, shape):
    rng = random.Random(p * 100 + shape[0])
    for _ in range(5):
        rank = rng.randint(0, min(shape))
        A = [[rng.randrange(p) for _ in range(rank)] for _ in range(shape[0])]
        B = [[rng.randrange(p) for _ in range(shape[1])] for _ in range(rank)]
        M = [
            [sum(a * b for a, b in zip(row, col, strict=True)) % p for col in zip(*B, strict=True)]
            for row in A
        ]
        if rank == 0:
            M = [[0] * shape[1] for _ in range(shape[0])]
        U, V = rank_factor(M, p)
        assert len(V) <= rank and all(len(u) == len(V) for u in U)
        for i in range(shape[0]):
            for j in range(shape[1]):
                assert sum(U[i][r] * V[r][j] for r in range(len(V))) % p == M[i][j]


def test_product_of_two_univariate_factors_is_one_product_expert():
    net = pc.compile("(x+3)*(y-1) mod 29", device="cpu")
    assert net.widths == (7,)  # one frequency of 6 neurons and the zero neuron
    want = table_of(lambda x, y: (x + 3) * (y - 1), 29, 2)
    assert pc.verify(net, table=want).accuracy == 1.0


def test_eight_monomials_from_a_product_compile_to_one_expert():
    # issue 10: this asked for 3 GiB inside the flat adder's lattice
    net = pc.compile("(2*x+5)^3*(y^2+7) mod 43", device="cpu")
    assert sum(net.widths) <= 13
    want = table_of(lambda x, y: (2 * x + 5) ** 3 * (y * y + 7), 43, 2)
    assert pc.verify(net, table=want).accuracy == 1.0


def test_pieces_need_no_more_products_than_the_smaller_degree():
    p = 97
    terms = random_terms(20, p, 2, seed=3)
    pieces = split_pieces(tuple((c, e) for e, c in terms.items() if any(e)), p)
    products = [pc_ for pc_ in pieces if len(pc_) > 1]
    dx = len({e[0] for e in terms if e[0] and e[1]})
    dy = len({e[1] for e in terms if e[0] and e[1]})
    assert len(products) <= min(dx, dy)


# ---- exhaustive checks of random polynomials --------------------------------------------------


@pytest.mark.parametrize("p", [23, 97])
@pytest.mark.parametrize("k", [5, 10, 20])
def test_random_polynomials_compile_and_are_exact_on_every_input(p, k):
    terms = random_terms(k, p, 2, seed=k * p)
    acc, net = compiled_accuracy(terms, p, 2)
    assert acc == 1.0
    # never wider than the per-monomial mixture it replaces (the narrowest bound of it)
    monos = tuple((c, e) for e, c in terms.items() if any(e))
    per_mono = [c for c in mixture_candidates(monos, 0, p, 2, "tree")]
    assert sum(net.widths) <= 4 * per_mono[0].narrowest()


@pytest.mark.parametrize("seed", [0, 1])
def test_three_variable_polynomials_use_grouped_products(seed):
    p = 11
    terms = random_terms(10, p, 3, seed=seed)
    acc, _ = compiled_accuracy(terms, p, 3)
    assert acc == 1.0


@pytest.mark.slow
def test_forty_monomials_at_211_compile_within_a_gigabyte_and_a_minute():
    code = textwrap.dedent(
        """
        import resource, sys, time
        sys.path.insert(0, "tests")
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
        import polyclass as pc
        from reference import terms_text
        from test_mixture import random_terms, reference_table
        terms = random_terms(40, 211, 2, seed=40)
        want = reference_table(terms, 211, 2)  # plain Python, outside the timed part
        t = time.perf_counter()
        net = pc.compile(terms_text(terms, "xy") + " mod 211", device="cpu")
        compiled = time.perf_counter() - t
        acc = pc.verify(net, table=want, chunk_size=2048).accuracy
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(acc, compiled, time.perf_counter() - t, rss, sum(net.widths))
        """
    )
    out = _run(code, timeout=600)
    acc, compiled, total, rss, _ = out.split()
    assert float(acc) == 1.0 and int(rss) < 2**30
    # verification alone is ~10 s on two idle cores; the bound leaves room for a busy machine
    assert float(compiled) < 60 and float(total) < 300


# ---- frequencies and margins in bounded memory ------------------------------------------------


def test_large_groups_get_frequencies_without_an_n_squared_table():
    n = 10**9
    order = lazy_order(n)
    first = order[:5]
    assert first[0] == 1 and len(set(first)) == 5 and all(1 <= s <= n // 2 for s in first)
    assert len(order) == n // 2 and lazy_order(n)[:5] == first  # shared and deterministic


@pytest.mark.parametrize("n", [22, 61])
def test_small_groups_keep_the_greedy_order(n):
    # reference: the greedy rule written out in plain Python (maximise the smallest total
    # 1 - cos over all non-zero shifts; ties go to the smaller frequency)
    total = [0.0] * n
    free = list(range(1, n // 2 + 1))
    want = []
    while free:

        def score(s: int) -> float:
            return min(total[d] + 1 - math.cos(2 * math.pi * s * d / n) for d in range(1, n))

        best = max(score(s) for s in free)
        pick = min(s for s in free if score(s) >= best - 1e-9)
        want.append(pick)
        free.remove(pick)
        for d in range(1, n):
            total[d] += 1 - math.cos(2 * math.pi * pick * d / n)
    assert frequency_order(n, 4) == tuple(want[:4]) and frequency_order(n) == tuple(want)
    assert n <= GREEDY_MAX


def test_many_to_one_margins_do_not_depend_on_the_chunk_size(monkeypatch):
    p = 23
    n = np.arange(p)
    outer = (n * n) % p  # h(v) = v^2 is two-to-one
    spec = product_spec([n, (n + 3) % p], outer, p)
    full = core.margin_curve(spec, 11)
    monkeypatch.setattr(core, "CURVE_CELLS", 3 * p)  # three totals per chunk
    assert np.allclose(core.margin_curve(spec, 11), full)
    # the curve is the real margin: compare with the logits formula on every total
    L = np.zeros((p - 1, p))
    values, y = spec.value_positions()
    right = spec.outer[np.asarray([pow(5, u, p) for u in range(p - 1)])]
    for F, sigma in enumerate(frequency_order(p - 1, 11), start=1):
        u = np.arange(p - 1)
        for v, yv in zip(values, y, strict=True):
            L[:, spec.outer[v]] += np.cos(2 * np.pi * sigma * (u - yv) / (p - 1))
        good = L[u, right]
        other = L.copy()
        other[u, right] = -np.inf
        assert full[F - 1] == pytest.approx(min(1.0, (good - other.max(1)).min() / F))


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_lattice_size_formula_matches_the_checked_lattice(k):
    assert lattice_size(k) == lattice(k)[0]


def test_lattice_size_of_many_inputs_needs_no_enumeration():
    assert lattice_size(40) == 83**40


# ---- memory estimates and refusals ------------------------------------------------------------


def _run(code: str, timeout: float = 120, last: bool = True) -> Any:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    return lines[-1] if last else lines


REFUSED = [
    ("x*y mod 100000007", {}),
    ("x^2 mod 1000003", {"max_bytes": 2**27}),
    ("x*y*z + x^2*y + y^3*z^2 + x*z mod 1000003", {}),
    ("x*y mod 65537", {"width": 6001}),
    ("x^2*y + x*y^2 + x^3 + y^3 + x^2*y^2 + x^3*y + x*y^3 + x^3*y^3 mod 23", {"adder": "flat"}),
]


def test_memory_refusals_come_fast_with_the_estimate_under_a_memory_limit():
    # one subprocess for all cases (torch is imported once), capped at 2 GiB of address space,
    # so a regression fails here instead of taking the machine's memory
    code = textwrap.dedent(
        f"""
        import resource, time
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
        import polyclass as pc
        import torch  # imports happen before the clock starts
        pc.compile
        for text, kwargs in {REFUSED!r}:
            t = time.perf_counter()
            try:
                pc.compile(text, device="cpu", **kwargs)
                print("compiled |", text)
            except pc.CompileError as err:
                print(round(time.perf_counter() - t, 3), "|", str(err).replace(chr(10), " "))
        # while a prime this size that fits is compiled (issue 13: 16 GiB of np.outer before)
        print(pc.compile("x*y mod 65537", device="cpu").widths[0])
        """
    )
    lines = _run(code, timeout=300, last=False)
    assert len(lines) == len(REFUSED) + 1
    assert int(lines[-1]) % 6 == 1  # m = 6 neurons per frequency and the zero neuron
    for (text, _), line in zip(REFUSED, lines, strict=False):
        seconds, message = line.split(" | ", 1)
        assert seconds != "compiled", text
        assert float(seconds) < 5, (text, seconds)
        assert "needs about" in message and "above the memory cap" in message, message
        assert "max_bytes=" in message and "prime below" in message, message


def test_estimates_bound_the_weights_they_price():
    net = pc.compile("x^2*y + 3*x*y^2 + 5*x + 7*y^3 + 2 mod 23", device="cpu")
    p = 23
    weights = sum(e.numel() * 8 for e in net.parameters())  # as held in float64 while planning
    sizes = [(net.expert(n).n_inputs, net.expert(n).width) for n in net.stage_names()]
    assert plan_bytes(sizes, p) >= weights
    kept, transient = expert_bytes(2, p, 7)
    assert kept >= 3 * p * 7 * 12 and transient > 0


def test_bad_max_bytes_is_refused():
    with pytest.raises(CompileError, match="max_bytes"):
        pc.compile("x*y mod 23", device="cpu", max_bytes=-1)


def test_cli_max_memory_refuses_in_one_line_with_exit_status_2():
    cmd = [sys.executable, "-m", "polyclass", "compile", "x*y mod 1009", "--max-memory", "1M"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([*cmd, "--device", "cpu"], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "above the memory cap of 1.0 MiB" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("text", "size"), [("1073741824", 2**30), ("512M", 2**29), ("2g", 2**31), ("1.5K", 1536)]
)
def test_cli_memory_sizes(text, size):
    from polyclass.cli.commands import _memory

    assert _memory(text) == size


@pytest.mark.parametrize("text", ["lots", "0", "-1G", "nan", "1e30"])
def test_cli_memory_sizes_that_make_no_sense_are_refused(text):
    from polyclass.cli.commands import _memory

    with pytest.raises(pc.PolyclassError, match="--max-memory must be"):
        _memory(text)
