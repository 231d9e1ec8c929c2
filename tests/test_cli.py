"""The installed `polyclass` entry point, run in a subprocess as a user would."""

import json
import shutil
import subprocess
import sys

import pytest

EXE = shutil.which("polyclass")


def run(*args: str) -> subprocess.CompletedProcess:
    cmd = [EXE, *args] if EXE else [sys.executable, "-m", "polyclass", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_parse_prints_a_summary():
    out = run("parse", "(4x + y^2)^3 mod 97")
    assert out.returncode == 0, out.stderr
    assert "(4*x + y^2)^3 mod 97" in out.stdout
    assert "y^6 + 12*x*y^4 + 48*x^2*y^2 + 64*x^3" in out.stdout
    assert "shape (97, 97)" in out.stdout


def test_parse_json_is_the_library_to_dict():
    import polyclass as pc

    out = run("parse", "x*y + 1", "-p", "23", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(pc.parse("x*y + 1", p=23).to_dict()))


def test_decompose_shows_maps_and_writes_dot(tmp_path):
    dot = tmp_path / "d.dot"
    out = run("decompose", "64*x^3 + 48*x^2*y^2 + 12*x*y^4 + y^6 mod 97", "--dot", str(dot))
    assert out.returncode == 0, out.stderr
    assert "h_of_sum" in out.stdout and "h(u) = u^3" in out.stdout
    assert dot.read_text().startswith("digraph decomposition {")
    data = json.loads(run("decompose", "x*y mod 5", "--json").stdout)
    assert data["form"] == "monomial"


def test_python_dash_m_works():
    out = subprocess.run(
        [sys.executable, "-m", "polyclass", "parse", "x mod 3"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "x mod 3" in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("parse", "sin(x) mod 7"),
        ("parse", "x + y"),
        ("parse", "x mod 96"),
        ("parse", ""),
        ("decompose", "x / 0 mod 7"),
        ("decompose", "x + y mod 7", "--dot", "/nonexistent-dir/d.dot"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(args):
    out = run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "error" in out.stderr


def test_unknown_subcommand_is_a_usage_error():
    assert run("frobnicate").returncode == 2
