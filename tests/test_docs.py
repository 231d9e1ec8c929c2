"""Docstrings render as Google style: no Sphinx roles, and the strict docs build enforces it."""

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROLE = re.compile(r":(?:py:)?(?:func|meth|class|mod|data|attr|exc|obj|const|ref):`[^`]+`")


def docstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield getattr(node, "name", path.stem), doc


def test_no_sphinx_roles_in_package_docstrings():
    found = [
        f"{path.relative_to(ROOT)}:{name}: {match}"
        for path in sorted((ROOT / "polyclass").rglob("*.py"))
        for name, doc in docstrings(path)
        for match in ROLE.findall(doc)
    ]
    assert found == [], "Sphinx roles (docstrings are Google style, write `name`):\n" + "\n".join(
        found
    )


def test_no_numpy_sections_in_package_docstrings():
    underlined = re.compile(r"^\s*(Parameters|Returns|Raises|Examples)\s*\n\s*-{3,}\s*$", re.M)
    found = [
        f"{path.relative_to(ROOT)}:{name}"
        for path in sorted((ROOT / "polyclass").rglob("*.py"))
        for name, doc in docstrings(path)
        if underlined.search(doc)
    ]
    assert found == [], "NumPy-style sections (write Args: / Returns: / Examples:): " + str(found)


def build(tmp_path: Path, docstring: str) -> subprocess.CompletedProcess:
    """A strict MkDocs build of one page rendering a module whose docstring is given."""
    pytest.importorskip("mkdocstrings")
    (tmp_path / "src").mkdir()
    (tmp_path / "sample.py").write_text(f'"""{docstring}"""\n', encoding="utf-8")
    (tmp_path / "src" / "index.md").write_text("# Sample\n\n::: sample\n", encoding="utf-8")
    config = f"""
        site_name: sample
        docs_dir: src
        site_dir: site
        strict: true
        hooks:
          - {ROOT / "docs" / "hooks.py"}
        plugins:
          - mkdocstrings:
              handlers:
                python:
                  paths: [{tmp_path}]
                  options:
                    docstring_style: google
        """
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(config), encoding="utf-8")
    # not --quiet: it silences warnings, so a strict build would not count them
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "mkdocs.yml")]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_strict_docs_build_fails_on_a_literal_sphinx_role(tmp_path):
    out = build(tmp_path, "Read a folder written by :func:`save_run`.")
    assert out.returncode != 0
    assert "literal Sphinx role" in out.stderr and ":func:`save_run`" in out.stderr


def test_strict_docs_build_passes_with_a_code_span(tmp_path):
    out = build(
        tmp_path, "Read a folder written by `save_run`.\n\nExamples:\n    >>> 1 + 1\n    2\n"
    )
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<code>save_run</code>" in page and 'class="highlight"' in page


def test_make_test_builds_the_docs_without_quiet():
    # `mkdocs build --quiet` drops warnings before --strict counts them, so a quiet strict
    # build passes with broken links and literal roles
    lines = [x for x in (ROOT / "Makefile").read_text().splitlines() if "mkdocs build" in x]
    assert lines and all("--strict" in x and "--quiet" not in x and " -q" not in x for x in lines)


@pytest.mark.parametrize(
    "model",
    [
        "current",
        "seventeenth",
        "sixteenth",
        "fifteenth",
        "fourteenth",
        "thirteenth",
        "twelfth",
        "eleventh",
        "tenth",
        "ninth",
        "eighth",
        "seventh",
        "sixth",
        "fifth",
        "fourth",
        "third",
        "second",
        "first",
    ],
)
def test_calibration_page_shows_what_the_benchmark_prints_for_the_stored_study(model):
    """The held-out tables on the calibration page are benchmarks/calibration.py's output
    now, for the score as shipped and for each model shipped before it."""
    lines, missing = _not_on_calibration_page(
        ROOT / "benchmarks" / "calibration.py", "--model", model
    )
    assert len(lines) > 20
    assert not missing, f"calibration.md does not show: {missing[:3]}"


def _not_on_calibration_page(script: Path, *args: str) -> tuple[list[str], list[str]]:
    """The non-blank lines ``script`` prints with ``args`` (stripped), and those of them
    that the calibration page does not show on a line of its own."""
    out = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    page = (ROOT / "docs" / "src" / "calibration.md").read_text()
    shown = {line.strip() for line in page.splitlines()}
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    return lines, [line for line in lines if line not in shown]


def test_stored_study_csv_is_what_features_makes_of_the_stored_runs(tmp_path):
    """study.csv = features.py over runs.csv (the recorded runs) and the rows it keeps from
    earlier sessions: rerunning it with no database changes no row."""
    study = ROOT / "benchmarks" / "calibration_study"
    runs = tmp_path / "runs.csv"
    runs.write_bytes((study / "runs.csv").read_bytes())
    out = tmp_path / "study.csv"
    subprocess.run(
        [
            sys.executable,
            str(study / "features.py"),
            "--db",
            str(tmp_path / "none.sqlite"),
            "--base",
            str(study / "study.csv"),
            "--runs",
            str(runs),
            "--csv",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.read_text() == (study / "study.csv").read_text()
    assert runs.read_text() == (study / "runs.csv").read_text()


@pytest.mark.parametrize("args", [(), ("--study",)])
def test_calibration_page_shows_what_the_product_check_prints(args):
    """Check set G's report and its count of the study's product tables, as the page
    shows them."""
    script = ROOT / "benchmarks" / "calibration_study" / "product_check.py"
    lines, missing = _not_on_calibration_page(script, *args)
    assert len(lines) > 3
    assert not missing, f"calibration.md does not show: {missing[:3]}"
