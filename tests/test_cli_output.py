"""What the `polyclass` command prints: DAG coefficients, warnings, --json completeness,
the atlas listing, sweep --sample, and a clone folder that shadows the package."""

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import polyclass as pc
from polyclass.atlas import ResultStore
from polyclass.atlas.store import COLUMN_NAMES

EXE = shutil.which("polyclass")
PACKAGE = Path(pc.__file__).parent


def run(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    cmd = [EXE, *args] if EXE else [sys.executable, "-m", "polyclass", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def run_json(*args: str) -> dict:
    out = run(*args, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def dag(stdout: str) -> dict[str, tuple[str, list[str]]]:
    """node -> (label, inputs) from the text DAG."""
    nodes = {}
    for line in stdout.splitlines():
        m = re.match(r"^  (\S+) \[\w+: (.*?)\](?: <- (.*))?$", line)
        if m:
            nodes[m.group(1)] = (m.group(2), m.group(3).split(", ") if m.group(3) else [])
    return nodes


def test_decompose_text_shows_the_coefficients_of_an_h_of_sum():
    out = run("decompose", "(4*x + y^2)^3 mod 97")
    assert out.returncode == 0, out.stderr
    nodes = dag(out.stdout)
    # u = 4*g1(x) + 1*g2(y) with g1 = x and g2 = y^2, as typed
    coefficient = {}
    for item in nodes["u"][1]:
        c, src = item.split("*")
        coefficient[nodes[src][0]] = int(c)
    assert coefficient == {"x": 4, "y^2": 1}
    assert nodes["g2_2"][1] == ["y^2"]  # the power on the edge from the input


def test_decompose_text_shows_the_coefficients_of_a_general_polynomial():
    # 4x + 5xy^2 + 3 = 5x(y^2 + 59) + 3 is a product now that decompose finds them
    out = run("decompose", "4*x + 5*x*y^2 + 2*y^3 + 3 mod 97")
    nodes = dag(out.stdout)
    label, inputs = nodes["sum"]
    assert label == "add (+3)"
    terms = {nodes[src][0]: int(c) for c, src in (i.split("*") for i in inputs)}
    assert terms == {"x": 4, "x*y^2": 5, "y^3": 2}


def test_concatenated_variable_names_warn_on_stderr():
    out = run("parse", "x^2 + 3xy + y^2 mod 7")
    assert out.returncode == 0
    assert "variables: x, xy, y" in out.stdout
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("polyclass parse: warning:") and "3*x*y" in line
    quiet = run("parse", "x^2 + 3*x*y + y^2 mod 7")
    assert quiet.returncode == 0 and quiet.stderr == ""
    declared = run("parse", "x^2 + 3xy + y^2 mod 7", "--variables", "x,xy,y")
    assert declared.stderr == ""


def test_parse_json_has_the_library_dict_and_the_table_summary():
    data = run_json("parse", "x*y + 1", "-p", "5")
    library = json.loads(json.dumps(pc.parse("x*y + 1", p=5).to_dict()))
    assert {k: data[k] for k in library} == library
    # reference: the values x*y + 1 mod 5 over all 25 inputs, in plain integers
    counts = Counter((x * y + 1) % 5 for x in range(5) for y in range(5))
    value, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    assert data["table"] == {
        "shape": [5, 5],
        "distinct_values": len(counts),
        "most_common": value,
        "most_common_share": n / 25,
    }
    assert run_json("parse", "3xy + x + y mod 5")["notes"]


def test_decompose_json_has_the_dag_and_the_dot_file(tmp_path):
    dot = tmp_path / "d.dot"
    data = run_json("decompose", "(4*x + y^2)^3 mod 97", "--dot", str(dot))
    assert data["form"] == "h_of_sum" and data["dot"] == str(dot) and dot.is_file()
    edges = {(e["source"], e["target"]): e for e in data["graph"]["edges"]}
    assert edges["g1_1", "u"]["coefficient"] == 4


def test_compile_json_has_accuracy_and_margin(tmp_path):
    path = tmp_path / "net.safetensors"
    text = run("compile", "x*y + 2 mod 11", "--device", "cpu").stdout
    data = run_json("compile", "x*y + 2 mod 11", "--device", "cpu", "-o", str(path))
    report = data["verify"]
    assert report["accuracy"] == 1.0 and report["n_cases"] == 121
    assert f"min margin {report['min_margin']:.3g}" in text
    assert data["output"] == str(path) and path.is_file() and data["widths"]
    assert "verify" not in run_json("compile", "x*y mod 5", "--device", "cpu", "--no-verify")


def test_verify_and_classify_json_carry_the_text():
    report = run_json("verify", "x + y mod 7", "--device", "cpu")
    text = run("verify", "x + y mod 7", "--device", "cpu").stdout
    assert f"accuracy {report['accuracy']:.6f} ({report['n_correct']}/{report['n_cases']})" in text
    verdict = run_json("classify", "x + y mod 7")
    # the graded score of a learnable table is a model of alpha and p: at p = 7 and
    # alpha = 0.5 below the decomposition's threshold (networks stay near chance there)
    assert verdict["learnable"] is True and verdict["reason"]
    assert verdict["score"] == pytest.approx(pc.classify("x + y mod 7").score)


def test_train_json_names_the_run_folder_and_plot_json_the_figure(tmp_path):
    folder = tmp_path / "run"
    data = run_json("train", "n1*n2 mod 5", "--width", "16", "--steps", "20", "-o", str(folder))
    assert data["output"] == str(folder) and (folder / "result.json").is_file()
    text_keys = {"train_accuracy", "test_accuracy", "chance", "steps_run", "memorised_at"}
    assert text_keys | {"grokked_at"} <= set(data) and data["steps_run"] == 20
    png = tmp_path / "c.png"
    assert run_json("plot", str(folder), "-o", str(png)) == {
        "figure": str(png),
        "source": str(folder),
    }


def test_check_json_carries_the_text():
    data = run_json("check", "n1 + n2 mod 5", "--width", "16", "--steps", "20")
    keys = {"poly", "predicted", "observed_test_accuracy", "observed_train_accuracy", "chance"}
    assert keys | {"agrees"} <= set(data)


def _row(poly, predicted, observed, form, p=23):
    row = dict.fromkeys(COLUMN_NAMES)
    row.update(
        poly=poly,
        p=p,
        seed=0,
        config_hash="c",
        predicted=predicted,
        observed_test_accuracy=observed,
        grok_threshold=0.99,
        decomposition_form=form,
    )
    return row


def test_atlas_list_with_filters_and_json(tmp_path):
    db = tmp_path / "a.sqlite"
    with ResultStore(db) as store:
        store.write(
            [
                _row("a mod 23", 1, 1.0, "h_of_sum"),
                _row("b mod 23", 1, 0.2, "h_of_sum"),
                _row("c mod 5", 0, 0.1, "general", p=5),
            ]
        )
    out = run("atlas", str(db), "--list")
    assert out.returncode == 0, out.stderr
    assert [x.split()[0] for x in out.stdout.splitlines()[1:4]] == ["a", "b", "c"]
    assert "3 of 3 jobs" in out.stdout
    out = run("atlas", str(db), "--list", "--form", "h_of_sum", "--agreement", "disagrees")
    assert out.stdout.splitlines()[1].startswith("b mod 23") and "1 of 3 jobs" in out.stdout
    data = run_json("atlas", str(db), "--list", "--prime", "5")
    assert [j["poly"] for j in data["jobs"]] == ["c mod 5"]
    assert data["jobs"][0]["agreement"] == "agrees" and data["filters"]["prime"] == 5
    csv = tmp_path / "a.csv"
    data = run_json("atlas", str(db), "--csv", str(csv))
    assert data["jobs"] == 3 and data["csv"] == str(csv) and csv.is_file()
    for args, message in (
        (("--form", "general"), "add --list"),
        (("--list", "--form", "round"), "--form must be one of"),
    ):
        bad = run("atlas", str(db), *args)
        assert bad.returncode == 2 and message in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1


def test_sweep_sample_runs_a_seeded_subset(tmp_path):
    db = tmp_path / "s.sqlite"
    args = ("sweep", "--family", "vars=2, degree<=2, coeffs=-1..1, p=5", "--db", str(db))
    tiny = ("--sample", "3", "--width", "8", "--steps", "5", "--workers", "1")
    data = run_json(*args, *tiny)
    assert data["enumerated"] == 3 and data["sample"] == {"size": 3, "seed": 0}
    assert data["ran"] == data["jobs"] == data["distinct_polynomials"]
    with ResultStore(db) as store:
        typed = [r["typed"] for r in store.rows()]
    for text in typed:  # members of the family: degree <= 2, coefficients -1..1
        P = pc.parse(text, p=5, variables=("n1", "n2"))
        assert P.degree <= 2
        assert all(c in (1, 4) for c in P.terms.values())
    again = run(*args, *tiny)
    assert again.returncode == 0 and f"{len(typed)} already in" in again.stdout
    assert "random sample of 3 members (seed 0)" in again.stdout


def test_a_clone_folder_named_polyclass_is_reported(tmp_path):
    # the layout of a clone named polyclass, seen from its parent: a folder without
    # __init__.py (here holding links to the real modules, as an editable install finds them)
    clone = tmp_path / "polyclass"
    clone.mkdir()
    for item in PACKAGE.iterdir():
        if item.name not in ("__init__.py", "__pycache__"):
            (clone / item.name).symlink_to(item)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-m", "polyclass", "parse", "x mod 3"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"imported the folder {clone}" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
