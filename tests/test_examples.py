"""Smoke test: every script in examples/ runs to completion with small settings."""

import os
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted(
    p
    for p in (pathlib.Path(__file__).parent.parent / "examples").glob("*.py")
    if not p.name.startswith("_")  # shared helpers of the examples, not examples
)


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, tmp_path):
    env = dict(os.environ, POLYCLASS_SMOKE="1", MPLBACKEND="Agg")
    out = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip(), "an example should print what it shows"
