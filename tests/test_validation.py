"""Entry validation: the shared argument checks, and inputs that once crashed or hung.

Calls that could allocate in proportion to p^S run in a subprocess under an address-space
limit (RLIMIT_AS), so a regression fails the test instead of exhausting the machine.
"""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import torch

import polyclass as pc
from polyclass.validation import (
    as_table,
    check_choice,
    check_device,
    check_finite,
    check_fraction,
    check_int,
    check_positive,
)

# ---- the shared checks --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 0, -1.5, "0.5", None, True])
def test_check_positive_refuses_what_is_not_a_finite_positive_number(bad):
    with pytest.raises(pc.PolyclassError, match="Argument 'lr' must be a finite positive number"):
        check_positive(bad, "lr")


def test_checks_accept_good_values_and_name_the_argument():
    assert check_positive(2, "lr") == 2.0 and check_finite(-3, "x") == -3.0
    assert check_fraction(1, "alpha") == 1.0 and check_int(np.int64(5), "n", minimum=1) == 5
    assert check_choice("mse", "loss", ("mse", "cross_entropy")) == "mse"
    with pytest.raises(pc.PolyclassError, match="Argument 'alpha' must be a number in"):
        check_fraction("0.5", "alpha")
    with pytest.raises(pc.PolyclassError, match="Argument 'n' must be an integer >= 1, not 0"):
        check_int(0, "n", minimum=1)
    with pytest.raises(pc.PolyclassError, match="one of 'mse', 'cross_entropy'"):
        check_choice("hinge", "loss", ("mse", "cross_entropy"))
    with pytest.raises(pc.TrainConfigError, match="finite number >= 0"):
        check_finite(math.nan, "wd", minimum=0.0, error=pc.TrainConfigError)
    with pytest.raises(pc.PolyclassError, match="digits"):  # never str() of a huge int
        check_int(10**5000, "n", maximum=10)


@pytest.mark.parametrize("device", ["tpu", "cuda:7", "gpu", 3])
def test_unknown_or_missing_devices_are_refused(device):
    if device == "cuda:7" and torch.cuda.device_count() > 7:
        pytest.skip("this machine has 8 GPUs")
    with pytest.raises(pc.PolyclassError, match="device"):
        check_device(device)
    with pytest.raises(pc.PolyclassError, match="device"):
        pc.compile("x*y mod 7", device=device)


def test_cuda_without_cuda_is_refused():
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    with pytest.raises(pc.PolyclassError, match="CUDA is not available"):
        check_device("cuda")
    assert check_device("cpu") == torch.device("cpu")


def test_as_table_is_one_validator_for_arrays_lists_and_tensors():
    rows = [[(x * y) % 5 for y in range(5)] for x in range(5)]
    for obj in (rows, np.array(rows, dtype=np.uint8), torch.tensor(rows)):
        table, p = as_table(obj)
        assert p == 5 and table.dtype == np.int64 and table.tolist() == rows
    for bad, message in (
        ([[0, 1], [1]], "rectangular"),
        (np.zeros((5, 5)), "integer dtype"),
        (np.zeros((5, 4), dtype=int), "square"),
        (np.zeros((4, 4), dtype=int), "prime"),
        (np.full((5, 5), 5), r"\[0, 5\)"),
        ("x*y", "NumPy integer array"),
    ):
        with pytest.raises(pc.TableError, match=message):
            as_table(bad)


def test_uint64_entries_are_reported_unsigned():
    table = np.zeros((3, 3), dtype=np.uint64)
    table[1, 1] = 2**63 + 5
    with pytest.raises(pc.TableError, match=str(2**63 + 5)):
        pc.classify(table)


def test_classify_and_train_take_the_same_tables():
    rows = [[(x + y) % 5 for y in range(5)] for x in range(5)]
    assert pc.classify(rows).learnable is True  # lists are tables, as in training
    with pytest.raises(pc.TableError):
        pc.train(np.full((5, 5), 9), steps=1, width=2, progress=False)
    with pytest.raises(pc.PolyclassError, match="Argument 'alpha'"):
        pc.classify("x*y mod 7", alpha="0.5")
    with pytest.raises(pc.PolyclassError, match="Argument 'time_budget'"):
        pc.classify("x*y mod 7", time_budget=math.nan)


def test_three_variable_tables_say_the_search_is_not_implemented():
    table = np.zeros((3, 3, 3), dtype=np.int64)
    table[1, 2, 0] = 1
    verdict = pc.classify(table)
    assert verdict.learnable is None and "not implemented" in verdict.summary
    assert "time budget" not in verdict.summary


# ---- the parser --------------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_long_flat_chains_evaluate_without_recursion_errors(op):
    n = 5000
    P = pc.parse(op.join(["x"] * n) + " mod 7")
    want = {"+": n, "-": 2 - n, "*": None, "/": None}[op]
    for x in range(7):
        if op == "*":
            expected = pow(x, n, 7)
        elif op == "/":
            expected = pow(x, (n - 2) * 5, 7) if x else 0  # x * x^-1 * ... = x^(2-n)
        else:
            expected = want * x % 7
        assert P(x) == expected == int(P.table()[x])
    assert len(str(P)) > n


def test_short_chains_print_as_typed():
    assert str(pc.parse("x - y - z + 1 mod 7")) == "x - y - z + 1 mod 7"


@pytest.mark.parametrize(
    "text, message",
    [
        ("x mod ３", "digits 0-9"),
        ("x mod ٣", "digits 0-9"),
        ("x + ٣ mod 7", "unexpected character"),
        ("x^" + "9" * 5000 + " mod 7", "exponent too large"),
        ("x mod " + "9" * 1001, "modulus too large"),
    ],
)
def test_malformed_numbers_are_parse_errors(text, message):
    with pytest.raises(pc.ParseError, match=message):
        pc.parse(text)


def test_a_long_composite_modulus_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(pc.ParseError, match="prime"):
        pc.parse("x mod " + "9" * 1000)
    with pytest.raises(pc.ParseError, match="nearest primes: 89 and 97"):
        pc.parse("x mod 91")
    assert time.perf_counter() - start < 5


def test_constants_with_more_than_4300_digits_print():
    P = pc.parse("x*" + "9" * 5000 + " + " + "7" * 4400 + " mod 7")
    nines, sevens = 10**5000 - 1, 7 * (10**4400 - 1) // 9  # the two literals, as ints
    assert str(P) == f"x*{nines % 7} + {sevens % 7} mod 7"
    assert P(1) == (nines + sevens) % 7


def test_constant_tables_are_one_cell_of_shape_empty():
    P = pc.parse("5 mod 7")
    assert P.table().shape == () and int(P.table()) == 5
    with pytest.raises(pc.TrainConfigError, match="constant"):
        pc.train(P, steps=1, width=2, progress=False)


# ---- networks and verification -----------------------------------------------------------------


def test_verify_refuses_a_network_for_another_modulus_or_arity():
    net = pc.compile("x*y mod 31", device="cpu")
    with pytest.raises(pc.PolyclassError, match="mod 31"):
        pc.verify(net, "x*y mod 37")
    with pytest.raises(pc.PolyclassError, match="2 inputs"):
        pc.verify(net, "x*y*z mod 31")


def test_network_classes_raise_polyclass_errors():
    with pytest.raises(pc.CompileError):
        pc.PowerMLP(0, 5, 4)
    with pytest.raises(pc.CompileError, match="weights"):
        pc.PowerMLP(2, 7, 10**12)
    with pytest.raises(pc.CompileError):
        pc.ExpertNetwork(2, 7, [])
    with pytest.raises(pc.PolyclassError):
        pc.PowerMLP(2, 7, 4)(torch.zeros(3, 3, dtype=torch.long))


def test_train_refuses_nan_and_inf_hyperparameters():
    for bad in ({"lr": math.inf}, {"weight_decay": math.nan}, {"lr": 0.0}, {"init_std": -1.0}):
        with pytest.raises(pc.TrainConfigError, match="finite"):
            pc.TrainConfig(**bad)
    with pytest.raises(pc.TrainConfigError, match="GiB"):
        pc.train("x*y mod 7", width=10**12, progress=False)
    with pytest.raises(pc.TrainConfigError, match="'steps' must be an integer >= 1"):
        pc.check("x*y mod 7", steps=0, progress=False)


# ---- memory limits, checked under RLIMIT_AS in a subprocess -------------------------------------


def run_limited(code: str, limit_gib: float = 3.0, timeout: float = 120) -> str:
    """Run ``code`` in a fresh interpreter whose address space is capped; return stdout."""
    script = textwrap.dedent(
        f"""
        import resource
        limit = int({limit_gib} * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        import polyclass as pc, numpy as np
        """
    ) + textwrap.dedent(code)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_constant_table_of_a_huge_prime_needs_no_memory():
    out = run_limited('print(pc.parse("5 mod 2147483647").table().shape)')
    assert out.strip() == "()"


def test_classify_refuses_a_raw_table_above_the_cell_cap_before_allocating():
    out = run_limited(
        """
        t = np.zeros((409, 409, 409), dtype=np.uint16)  # 137 MB; int64 would be 547 MB
        try:
            pc.classify(t)
        except pc.TableTooLargeError as err:
            print("refused:", err)
        """
    )
    assert out.startswith("refused:") and "cells" in out


def verify_refusal(net: str, poly: str, **options: object) -> tuple[float, str]:
    """Seconds ``pc.verify(net, poly, **options)`` took to raise TableTooLargeError (under
    the address-space limit of `run_limited`) and the message."""
    out = run_limited(
        f"""
        import time
        net, P = {net}, pc.parse({poly!r})
        start = time.perf_counter()
        try:
            pc.verify(net, P, **{options!r})
        except pc.TableTooLargeError as err:
            print(f"refused in {{time.perf_counter() - start:.3f}} s:", err)
        """
    )
    assert out.startswith("refused in"), out
    return float(out.split()[2]), out


def test_verify_refuses_above_the_table_cap():
    seconds, message = verify_refusal("pc.PowerMLP(3, 409, 1)", "x*y*z mod 409")
    assert "max_inputs" in message and seconds < 1.0


def test_verify_prices_its_chunks_before_allocating_them():
    # a 4096-wide network checked in one chunk of all 409^2 inputs: 2.6 GiB of hidden values
    seconds, message = verify_refusal(
        "pc.PowerMLP(2, 409, 4096)", "x*y mod 409", chunk_size=409 * 409
    )
    assert "GiB" in message and "memory cap of 1.0 GiB" in message, message
    assert "max_bytes=" in message and "chunk_size" in message and seconds < 1.0


def test_verify_prices_the_value_table_and_takes_a_larger_cap():
    net = pc.PowerMLP(2, 23, 8)
    table = (np.arange(23)[:, None] * np.arange(23)[None, :]) % 23
    with pytest.raises(pc.TableTooLargeError, match=r"value table of 529 int64 cells") as err:
        pc.verify(net, table=table, max_bytes=2048)
    assert "max_bytes=1048576" in str(err.value)
    assert pc.verify(net, table=table, max_bytes=2**20).n_cases == 529  # raised: it runs


@pytest.mark.parametrize("bad", [-5, 0, 1.5, True, "1G"])
def test_memory_caps_are_validated_before_anything_is_priced(bad):
    # x^2 mod 1000003 is over the default cap: the argument error must come first
    with pytest.raises(pc.CompileError, match="'max_bytes' must be a positive int"):
        pc.compile("x^2 mod 1000003", device="cpu", max_bytes=bad)
    with pytest.raises(pc.PolyclassError, match="'max_bytes' must be a positive int"):
        pc.verify(pc.PowerMLP(3, 409, 1), "x*y*z mod 409", max_bytes=bad)
    with pytest.raises(pc.PolyclassError, match="'max_cells' must be an integer >= 1"):
        pc.classify(np.zeros((409, 409, 409), dtype=np.uint8), max_cells=bad)


def test_structures_over_huge_primes_are_priced_and_high_degrees_need_no_power_table():
    # fuzz findings: the maps of x (and of a constant) over Z_(2^31-1) took 32 GiB, and the
    # power table of x^1000 over Z_1000003 (1001 x p int64) 7.5 GiB; h's text interpolated
    # over p^2 cells
    out = run_limited(
        """
        for call in (pc.decompose, pc.classify):
            for text in ("x mod 2147483647", "5 mod 2147483647"):
                try:
                    call(text)
                    print("built", text)
                except pc.TableTooLargeError as err:
                    print("refused:", err)
        D = pc.decompose("x^1000 + 3*x mod 1000003")
        V = pc.classify("x^1000 mod 1000003")
        print(D.form, int(D.structure.table()[2]), V.learnable, "(a table of 1,000,003" in V.reason)
        """
    )
    lines = out.strip().splitlines()
    refused = [line for line in lines if line.startswith("refused:")]
    assert len(refused) == 3 and "built 5 mod 2147483647" in lines, out  # decompose: no maps
    assert all("GiB" in line and "smaller prime" in line for line in refused), out
    assert lines[-1] == f"one_variable {(pow(2, 1000, 1000003) + 6) % 1000003} True True", out
