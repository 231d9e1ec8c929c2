"""Property-based fuzzing of the entry points: any input either works or raises PolyclassError.

Bounded in time (few examples, a deadline per example); ``benchmarks/fuzz.py`` runs the
long version with per-input time and memory limits.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import polyclass as pc

SETTINGS = settings(
    max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

PIECES = st.sampled_from(
    ["x", "y", "z", "+", "-", "*", "/", "^", "**", "(", ")", " ", "2", "0", "97", "-1", "mod",
     "%", "p=", "x^-1", "1/0", "sin", "1.5", "٣", "３", "999999999999", "^^", "é", "\n"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(PIECES, max_size=20).map("".join),
    st.builds(
        lambda body, p: f"{body} mod {p}",
        st.lists(PIECES, max_size=12).map("".join),
        st.sampled_from([2, 3, 5, 7, 8, 1, 0, 10**40]),
    ),
)


def works_or_refuses(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except pc.PolyclassError:
        return None


@SETTINGS
@given(TEXT)
def test_parse_and_table_never_crash(text):
    P = works_or_refuses(pc.parse, text)
    if P is not None:
        str(P)
        table = works_or_refuses(P.table)
        if table is not None and P.nvars <= 2:
            point = (1,) * P.nvars
            assert int(table[point] if P.nvars else table) == P(*point)  # table agrees with P()


@settings(SETTINGS, max_examples=30, deadline=None)  # bounded by the classifier's budget
@given(TEXT)
def test_classify_and_compile_never_crash_on_text(text):
    works_or_refuses(pc.classify, text, time_budget=1.0)
    works_or_refuses(pc.compile, text, device="cpu")


@SETTINGS
@given(
    st.lists(st.sampled_from([0, 1, 2, 3, 5, 7]), max_size=3).map(tuple),
    st.sampled_from(["int64", "uint64", "int8", "float32", "bool"]),
    st.integers(min_value=-5, max_value=2**63 - 1),
)
def test_classify_and_train_never_crash_on_tables(shape, dtype, value):
    table = np.zeros(shape, dtype=dtype)
    if table.size:
        table.flat[0] = abs(value) if dtype in ("uint64", "bool") else value % 128
    works_or_refuses(pc.classify, table, time_budget=1.0)
    works_or_refuses(pc.train, table, width=2, steps=1, progress=False)


@SETTINGS
@given(st.binary(max_size=300))
def test_load_and_resume_never_crash_on_arbitrary_bytes(tmp_path_factory, data):
    from polyclass.training import load_checkpoint

    folder = tmp_path_factory.mktemp("bytes")
    path = folder / "f.safetensors"
    path.write_bytes(data)
    works_or_refuses(pc.load, path, device="cpu")
    works_or_refuses(load_checkpoint, path)
