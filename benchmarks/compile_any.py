"""Compile is total: random polynomials with 5 to 40 monomials, and product / h(g1+g2) forms.

Every case runs in a fresh subprocess (so ``ru_maxrss`` is the peak of that case alone,
including the ~0.3 GB of an imported torch) and reports: seconds to compile, seconds to
verify exhaustively (``pc.verify`` over all p^2 inputs against a plain-Python table, chunks
of 2048 inputs), peak memory, total width, accuracy; and as the baseline measured in the
same run, the total width of the per-monomial mixture (``adder="tree"``, the previous
default for more than 4 terms; the flat adder is astronomically wide there).

    .venv/bin/python benchmarks/compile_any.py [--primes 23 97 211] [--terms 5 10 20 40]

Measured 2026-12-01 (``PYTHONPATH=. .venv/bin/python benchmarks/compile_any.py``) on the
2-core development machine at a load average of 7 to 8 (a calibration study and two helpers
running), so verification seconds are several times an idle machine's (idle: 1.5 s for the
40-monomial case at p = 211). "width" is the network compile builds; "low-rank" and
"per-monomial" (the previous default) are the mixtures of the same polynomial expanded into
monomials; "ratio" is per-monomial / width. Every case is exact on all p^2 inputs, within
0.5 GiB (the 1 GiB budget) and 17 s compile + verify (the target: 60 s):

| case | p | compile s | verify s | peak MiB | width | acc | low-rank | per-monomial | ratio |
|---|---|---|---|---|---|---|---|---|---|
| 5 random monomials | 23 | 0.7 | 0.4 | 342 | 56 | 1.0 | 56 | 88 | 1.6 |
| 10 random monomials | 23 | 0.6 | 0.7 | 343 | 94 | 1.0 | 94 | 207 | 2.2 |
| 20 random monomials | 23 | 0.6 | 0.4 | 343 | 106 | 1.0 | 106 | 420 | 4.0 |
| 40 random monomials | 23 | 0.6 | 0.9 | 344 | 194 | 1.0 | 194 | 945 | 4.9 |
| 5 random monomials | 97 | 0.2 | 1.0 | 352 | 43 | 1.0 | 43 | 137 | 3.2 |
| 10 random monomials | 97 | 0.3 | 2.7 | 368 | 117 | 1.0 | 117 | 284 | 2.4 |
| 20 random monomials | 97 | 0.2 | 4.0 | 380 | 210 | 1.0 | 210 | 627 | 3.0 |
| 40 random monomials | 97 | 0.3 | 4.9 | 388 | 266 | 1.0 | 266 | 1414 | 5.3 |
| 5 random monomials | 211 | 0.1 | 2.1 | 376 | 50 | 1.0 | 50 | 152 | 3.0 |
| 10 random monomials | 211 | 0.5 | 10.9 | 416 | 142 | 1.0 | 142 | 300 | 2.1 |
| 20 random monomials | 211 | 0.2 | 18.4 | 417 | 179 | 1.0 | 179 | 624 | 3.5 |
| 40 random monomials | 211 | 0.5 | 16.1 | 455 | 290 | 1.0 | 290 | 1411 | 4.9 |
| (x+3)*(y-1) (multiplicative) | 97 | 0.0 | 0.3 | 345 | 7 | 1.0 | 7 | 43 | 6.1 |
| (x^2+1)*(y^3+y) (multiplicative) | 97 | 0.0 | 0.3 | 342 | 7 | 1.0 | 7 | 90 | 12.9 |
| (2*x+5)^3*(y^2+7) (multiplicative) | 97 | 0.0 | 0.3 | 343 | 7 | 1.0 | 7 | 183 | 26.1 |
| (x^2+y^3)^2 + 3*(x^2+y^3) (h_of_sum) | 97 | 0.0 | 0.4 | 345 | 54 | 1.0 | 43 | 119 | 2.2 |
| (x^3+2*y^2+1)^3 (h_of_sum) | 97 | 0.0 | 0.4 | 347 | 90 | 1.0 | 80 | 249 | 2.8 |
| (x^2+y^2)^3 + (x^2+y^2)^2 (h_of_sum) | 97 | 0.0 | 0.4 | 344 | 60 | 1.0 | 80 | 193 | 3.2 |

Products of univariate factors compile to one multiplication expert (7 neurons). The
h(g1 + g2) forms with a many-to-one ``h`` need several frequencies in their single network,
so for two of the three the low-rank mixture (which ``compile(..., adder=...)`` on the
expanded Decomposition builds) is narrower; compile still returns the single network, the
one the trainer's architecture learns.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_mixture import random_terms  # noqa: E402

CASE = r"""
import json, random, resource, sys, time
sys.path.insert(0, {tests!r})
from reference import eval_terms, table_of, terms_text
import polyclass as pc
import torch  # imported before the clock starts, as are pc.compile and pc.verify
pc.compile, pc.verify

text, terms, p = {text!r}, {terms!r}, {p}
if terms is not None:
    terms = {{tuple(k): v for k, v in terms}}
    text = terms_text(terms, ("x", "y")) + f" mod {{p}}"
    want = table_of(lambda *n: eval_terms(terms, n, p), p, 2)
else:
    want = table_of(lambda x, y: eval({fn!r}, {{"x": x, "y": y}}), p, 2)
t = time.perf_counter()
net = pc.compile(text, device="cpu")
t_compile = time.perf_counter() - t
t = time.perf_counter()
acc = pc.verify(net, table=want, chunk_size=2048).accuracy
t_verify = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# the per-monomial decomposition, as decompose reported these forms before it found them
from polyclass.decomposition.graph import sum_of_monomials_graph
from polyclass.decomposition.symbolic import Decomposition
P = pc.parse(text)
body = tuple(sorted((c, e) for e, c in P.terms.items() if any(e)))
k = P.terms.get((0, 0), 0)
graph = sum_of_monomials_graph(P, body, k)
G = Decomposition(P, "composite", k, body, found="trivial", graph=graph)
old = pc.compile(G, device="cpu", adder="tree")
new = pc.compile(G, device="cpu")
print(json.dumps(dict(compile=t_compile, verify=t_verify, peak=peak, width=sum(net.widths),
                      acc=acc, form=net.info.form, old=sum(old.widths),
                      mixture=sum(new.widths), stages=len(net.widths))))
"""

HEADER = (
    "| case | p | compile s | verify s | peak MiB | width | acc | low-rank | per-monomial | ratio |"
    "\n|---|---|---|---|---|---|---|---|---|---|"
)

FORMS = [
    ("(x+3)*(y-1)", "(x+3)*(y-1)"),
    ("(x^2+1)*(y^3+y)", "(x**2+1)*(y**3+y)"),
    ("(2*x+5)^3*(y^2+7)", "(2*x+5)**3*(y**2+7)"),
    ("(x^2+y^3)^2 + 3*(x^2+y^3)", "(x**2+y**3)**2 + 3*(x**2+y**3)"),
    ("(x^3+2*y^2+1)^3", "(x**3+2*y**2+1)**3"),
    ("(x^2+y^2)^3 + (x^2+y^2)^2", "(x**2+y**2)**3 + (x**2+y**2)**2"),
]


def run_case(text: str | None, terms: object, fn: str | None, p: int) -> dict[str, object]:
    code = CASE.format(tests=str(ROOT / "tests"), text=text, terms=terms, fn=fn, p=p)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=1200, cwd=ROOT
    )
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def row(name: str, p: int, r: dict[str, object]) -> str:
    if "error" in r:
        return f"| {name} | {p} | error: {r['error']} |"
    return (
        f"| {name} | {p} | {r['compile']:.1f} | {r['verify']:.1f} | {r['peak']:.0f} | "
        f"{r['width']} | {r['acc']} | {r['mixture']} | {r['old']} | "
        f"{r['old'] / r['width']:.1f} |"  # type: ignore[operator]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--primes", type=int, nargs="+", default=[23, 97, 211])
    ap.add_argument("--terms", type=int, nargs="+", default=[5, 10, 20, 40])
    ap.add_argument("--forms-p", type=int, default=97, help="prime of the product/h forms")
    args = ap.parse_args()
    print(HEADER)
    for p in args.primes:
        for k in args.terms:
            terms = list(random_terms(k, p, 2, seed=k * p).items())  # as the tests draw them
            r = run_case(None, terms, None, p)
            print(row(f"{k} random monomials", p, r), flush=True)
    for text, fn in FORMS:
        p = args.forms_p
        r = run_case(f"{text} mod {p}", None, fn, p)
        print(row(f"{text} ({r.get('form', '?')})", p, r), flush=True)


if __name__ == "__main__":
    main()
