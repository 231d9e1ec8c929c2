"""Adversarial inputs at every entry point: count how each one ends.

Generates ``--n`` inputs (default 10,000, seeded) across parse, table, classify, compile +
verify, load (crafted network files), resume (crafted checkpoints) and the CLI, and runs
each in a worker process with a per-input time limit and an address-space limit. Each
input ends as one of

    ok           the call returned
    clean        it raised a PolyclassError (the documented way to refuse)
    other        it raised anything else (a bug: listed with the first examples)
    over_time    it took more than --timeout CPU seconds (CPU time, not wall time: on a
                 shared machine wall time says little; past --wall seconds the worker
                 is killed and replaced)
    over_memory  it needed more than --max-gib GiB above the worker's baseline
                 (MemoryError under RLIMIT_AS, or the worker was killed)

The target is 0 in the last three. Usage::

    python benchmarks/fuzz.py [--n 10000] [--workers 2] [--timeout 5] [--max-gib 2]
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing as mp
import os
import random
import resource
import struct
import sys
import tempfile
import time
from typing import Any

DIGITS_UNICODE = "٣３७"
TOKENS = [
    "x", "y", "z", "n1", "n10", "+", "-", "*", "/", "^", "**", "(", ")", " ", "2", "3", "0",
    "97", "-1", "mod", " mod ", "%", "p=", ",", "x^-1", "1/0", "sin", "pi", "1.5", "e5",
    "_", "é", "\t", "\n", "999999999999", DIGITS_UNICODE, "^^", "((", "))", "mod mod",
]  # fmt: skip
PRIMES = [2, 3, 5, 7, 11, 13]
VALID = ["x*y", "(4*x + y^2)^3", "x^2 + y^2", "x/y", "x + y + z", "x*y*z", "3*x - 5", "7"]


def random_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:  # token soup
        text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 25)))
        return text + rng.choice(["", f" mod {rng.choice(PRIMES)}", " mod 8", " mod 1"])
    if kind < 0.55:  # a valid polynomial, mutated
        text = f"{rng.choice(VALID)} mod {rng.choice(PRIMES + [97])}"
        for _ in range(rng.randint(0, 3)):
            i = rng.randint(0, len(text))
            text = text[:i] + rng.choice(TOKENS) + text[i + rng.randint(0, 2) :]
        return text
    if kind < 0.65:  # long chains and deep nesting
        n = rng.choice([10, 100, 1000, 5000])
        op = rng.choice(["+", "-", "*", "/"])
        if rng.random() < 0.5:
            return op.join(["x"] * n) + " mod 7"
        depth = rng.choice([50, 150, 250])
        return "(" * depth + "x" + ")" * depth + " mod 7"
    if kind < 0.8:  # huge numbers
        digits = rng.choice([50, 1000, 4300, 5000, 9000])
        number = rng.choice("123456789") + "9" * (digits - 1)
        forms = [
            f"x mod {number}",
            f"x^{number} mod 7",
            f"{number}*x mod 7",
            f"x^({number}) mod 11",
            f"2^{digits}^2 mod 7",
        ]
        return rng.choice(forms)
    p = rng.choice(PRIMES)  # big-table requests (refused by the caps)
    return rng.choice([f"5 mod {2**31 - 1}", f"x*y*z mod {rng.choice([409, 1009])}", f"x mod {p}"])


def make_input(i: int, rng: random.Random) -> tuple[str, Any]:
    r = rng.random()
    if r < 0.35:
        return "parse", random_text(rng)
    if r < 0.5:
        return "table", random_text(rng)
    if r < 0.62:
        if rng.random() < 0.5:
            return "classify", random_text(rng)
        shape = tuple(rng.choice([1, 2, 3, 4, 5, 7]) for _ in range(rng.randint(0, 4)))
        dtype = rng.choice(["int64", "uint64", "int8", "float64", "bool", "object"])
        return "classify_table", (shape, dtype, rng.randint(-3, 2**64 - 1), rng.random())
    if r < 0.7:
        return (
            "compile",
            f"{rng.choice(VALID[:5])} mod {rng.choice([5, 7])}"
            if rng.random() < 0.7
            else random_text(rng),
        )
    if r < 0.8:
        return "load", (rng.randint(0, 2**31), rng.random())
    if r < 0.87:
        return "resume", (rng.randint(0, 2**31), rng.random())
    return "cli", cli_args(rng)


def cli_args(rng: random.Random) -> list[str]:
    command = rng.choice(["parse", "decompose", "classify", "verify", "compile", "train", "check"])
    args = [command]
    if command != "train" or rng.random() < 0.8:
        args.append(random_text(rng) if rng.random() < 0.5 else "x*y mod 5")
    options = {
        "classify": [["--alpha", "nan"], ["--time-budget", "-1"], ["--time-budget", "0.5"]],
        "train": [["--lr", "inf"], ["--wd", "nan"], ["--width", "1000000000000"], ["--steps", "1"]],
        "check": [["--steps", "0"], ["--lr", "-1"], ["--device", "tpu"]],
        "compile": [["-o", "/no/such/dir/f.safetensors"], ["--device", "cuda:7"], ["--no-verify"]],
        "verify": [["--device", "tpu"], ["-p", "8"]],
    }.get(command, [["-p", "7"], ["--variables", "x,,y"]])
    args += rng.choice(options)
    if command in ("train", "check"):
        args += ["--width", "4", "--steps", "2"] if "--steps" not in args else []
    return args


# ---- crafted files -----------------------------------------------------------------------------


def crafted_network(seed: int, path: str) -> None:
    """A valid network file, then damaged in one of several ways."""
    import torch

    import polyclass as pc

    rng = random.Random(seed)
    net = pc.PowerMLP(2, 5, 4)
    net.info = pc.NetworkInfo(p=5, variables=("x", "y"), polynomial="x*y mod 5")
    net.save(path)
    with open(path, "rb") as fh:
        data = bytearray(fh.read())
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + size])
    how = rng.randrange(6)
    if how == 0:
        data = data[: rng.randint(0, len(data))]
    elif how == 1:
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    else:
        inner = json.loads(header["__metadata__"]["polyclass"])
        cfg = inner["config"]
        key = rng.choice(["n_inputs", "in_dim", "width", "out_dim", "power"])
        value = rng.choice([0, -1, 10**12, "4", None, 3, 7, 2**31, 1.5])
        if how == 2:
            cfg[key] = value
        elif how == 3:
            inner["kind"] = rng.choice(["ExpertNetwork", "Transformer", None, 3])
        elif how == 4:
            inner["metadata"] = rng.choice(
                [{"polynomial": "x*y mod 29"}, {"polynomial": 3}, [1], {"polynomial": "x mod 5"}]
            )
        else:
            header["embed"]["shape"] = [rng.randint(0, 9) for _ in range(rng.randint(0, 4))]
        header["__metadata__"]["polyclass"] = json.dumps(inner)
        raw = json.dumps(header).encode()
        data = bytearray(struct.pack("<Q", len(raw)) + raw) + data[8 + size :]
    with open(path, "wb") as fh:
        fh.write(bytes(data))
    del torch


def crafted_checkpoint(seed: int, path: str, template: str) -> None:
    import torch

    rng = random.Random(seed)
    how = rng.randrange(4)
    if how == 0:
        with open(template, "rb") as fh:
            data = fh.read()
        with open(path, "wb") as fh:
            fh.write(data[: rng.randint(0, len(data))])
        return
    state = torch.load(template, weights_only=True)
    key = rng.choice(sorted(state))
    if how == 1:
        state.pop(key)
    elif how == 2:
        state[key] = rng.choice([None, -5, "x", [], {}, torch.zeros(3), float("nan")])
    else:
        state["tasks"][0]["table"][rng.randrange(5), rng.randrange(5)] = rng.choice([-1, 5, 2**40])
    torch.save(state, path)


# ---- one input ---------------------------------------------------------------------------------


def run_one(kind: str, payload: Any, workdir: str, template: str) -> Any:
    import numpy as np

    import polyclass as pc

    if kind == "parse":
        P = pc.parse(payload)
        return str(P)
    if kind == "table":
        return pc.parse(payload).table().shape
    if kind == "classify":
        return pc.classify(payload, time_budget=2.0).learnable
    if kind == "classify_table":
        shape, dtype, value, frac = payload
        table = np.zeros(shape, dtype=object if dtype == "object" else dtype)
        if table.size:
            table.flat[int(frac * table.size)] = value if dtype in ("uint64", "object") else 1
        return pc.classify(table, time_budget=2.0).learnable
    if kind == "compile":
        return pc.verify(pc.compile(payload, device="cpu")).accuracy
    if kind == "load":
        path = os.path.join(workdir, "net.safetensors")
        crafted_network(payload[0], path)
        return pc.verify(pc.load(path, device="cpu")).accuracy
    if kind == "resume":
        from polyclass.training import load_checkpoint

        path = os.path.join(workdir, "ckpt.pt")
        crafted_checkpoint(payload[0], path, template)
        return load_checkpoint(path, progress=False).run()[0].test_accuracy
    from polyclass.cli import main

    status = main(payload)
    if status not in (0, 2):
        raise RuntimeError(f"exit status {status}")
    if status == 2:
        raise pc.PolyclassError("exit status 2")  # counted as a clean refusal
    return status


def worker(conn: Any, max_bytes: int, workdir: str, template: str) -> None:
    import contextlib
    import io

    import torch  # noqa: F401 - warm up: imports are not part of any input's time

    import polyclass as pc

    pc.classify("x*y mod 5")
    vm = _vm_bytes()
    resource.setrlimit(resource.RLIMIT_AS, (vm + max_bytes, vm + max_bytes))
    conn.send("ready")
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        kind, payload = item
        start = _cpu_seconds()
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                run_one(kind, payload, workdir, template)
            result = ("ok", "")
        except pc.PolyclassError:
            result = ("clean", "")
        except SystemExit as exc:  # argparse refusing an option: usage, one error, status 2
            result = ("clean", "") if exc.code == 2 else ("other", f"SystemExit: {exc.code}")
        except MemoryError as exc:
            result = ("over_memory", repr(exc)[:200])
        except BaseException as exc:  # noqa: BLE001 - counting what escapes is the point
            result = ("other", f"{type(exc).__name__}: {str(exc)[:200]}")
        conn.send((*result, _cpu_seconds() - start))


def _cpu_seconds() -> float:
    """CPU time of this process: on a shared, loaded machine wall time says little."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _vm_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class Worker:
    def __init__(self, ctx: Any, max_bytes: int, workdir: str, template: str) -> None:
        self.conn, child = ctx.Pipe()
        # daemon: forked workers hold copies of every pipe end, so they never see EOF;
        # they are killed at the end instead
        self.proc = ctx.Process(
            target=worker, args=(child, max_bytes, workdir, template), daemon=True
        )
        self.proc.start()
        self.ready = False
        self.item: Any = None
        self.sent = 0.0

    def send(self, item: Any) -> None:
        self.item, self.sent = item, time.perf_counter()
        self.conn.send(item)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()


def make_template(path: str) -> None:
    import polyclass as pc

    folder = os.path.dirname(path)
    pc.train("x*y mod 5", width=4, steps=4, checkpoint_every=2, checkpoint_dir=folder,
             progress=False)  # fmt: skip
    os.replace(os.path.join(folder, "latest.pt"), path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=5.0, help="CPU seconds per input")
    parser.add_argument("--wall", type=float, default=120.0, help="wall seconds before a kill")
    parser.add_argument("--max-gib", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report-every", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    inputs = [make_input(i, rng) for i in range(args.n)]
    ctx = mp.get_context("fork")  # cheap workers; this process never runs torch itself

    counts: collections.Counter[str] = collections.Counter()
    per_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: list[str] = []
    per_outcome: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        template = os.path.join(tmp, "template.pt")
        maker = mp.get_context("spawn").Process(target=make_template, args=(template,))
        maker.start()  # trains in another process: no torch threads here before the forks
        maker.join()
        max_bytes = int(args.max_gib * 2**30)
        dirs = [os.path.join(tmp, f"w{k}") for k in range(args.workers)]
        for d in dirs:
            os.makedirs(d)
        pool = [Worker(ctx, max_bytes, d, template) for d in dirs]
        queue = collections.deque(inputs)
        busy: dict[int, Worker] = {}

        def record(w: Worker, outcome: str, detail: str) -> None:
            kind = w.item[0]
            counts[outcome] += 1
            done = sum(counts.values())
            if done % args.report_every == 0:
                print(f"[{done}/{args.n}] " + ", ".join(f"{k} {v}" for k, v in counts.items()),
                      flush=True)  # fmt: skip
            per_kind[kind][outcome] += 1
            if outcome not in ("ok", "clean") and per_outcome[outcome] < 10:  # each kind shown
                per_outcome[outcome] += 1
                examples.append(f"{outcome} {kind} {str(w.item[1])[:120]!r}: {detail}")

        while queue or busy:
            for k, w in enumerate(pool):
                if not w.ready and w.conn.poll():
                    w.ready = w.conn.recv() == "ready"
                if w.ready and k not in busy and queue:
                    w.send(queue.popleft())
                    busy[k] = w
            time.sleep(0.001)
            for k, w in list(busy.items()):
                if w.conn.poll():
                    try:
                        outcome, detail, cpu = w.conn.recv()
                    except EOFError:
                        outcome, detail, cpu = "over_memory", "worker died", 0.0
                    if cpu > args.timeout:
                        outcome, detail = "over_time", f"{cpu:.1f} CPU s ({outcome})"
                    record(w, outcome, detail)
                    del busy[k]
                elif not w.proc.is_alive():
                    record(w, "over_memory", f"worker killed (exit {w.proc.exitcode})")
                    del busy[k]
                elif time.perf_counter() - w.sent > args.wall:
                    w.kill()
                    record(w, "over_time", f"> {args.wall} wall s")
                    del busy[k]
                else:
                    continue
                if not w.proc.is_alive():
                    pool[k] = Worker(ctx, max_bytes, dirs[k], template)
        for w in pool:
            w.kill()
    seconds = time.perf_counter() - start
    order = ["ok", "clean", "other", "over_time", "over_memory"]
    print(f"{args.n} inputs in {seconds:.0f} s ({args.workers} workers, limits "
          f"{args.timeout} CPU s and {args.max_gib} GiB per input)")  # fmt: skip
    print("total: " + ", ".join(f"{name} {counts[name]}" for name in order))
    for kind in sorted(per_kind):
        print(f"  {kind:15s} " + ", ".join(f"{n} {per_kind[kind][n]}" for n in order))
    for line in examples:
        print("  " + line)
    sys.exit(0 if sum(counts[n] for n in order[2:]) == 0 else 1)


if __name__ == "__main__":
    main()
