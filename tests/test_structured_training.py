"""The trainer consumes what decompose and classify return: the structure they carry fixes
the IPR basis, so training never decomposes the polynomial again (issue 10).

Tables are checked against plain Python arithmetic (tests/reference.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import polyclass as pc
import polyclass.decomposition as decomposition
from polyclass.errors import TrainConfigError
from polyclass.training import as_task, resume

from reference import table_of

P = 23
TEXT = f"(4*x + y^2)^3 mod {P}"
TINY = {"width": 32, "steps": 30, "eval_every": 10, "progress": False, "early_stop": False}

# the trainer falls back to the natural basis with a warning when decompose fails: turn
# that warning into an error, so a refused decompose fails the test instead of being masked
pytestmark = [
    pytest.mark.usefixtures("one_thread"),
    pytest.mark.filterwarnings("error:IPR basis:UserWarning"),
]


def reference() -> np.ndarray:
    return table_of(lambda x, y: (4 * x + y * y) ** 3, P, 2)


def no_decompose(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the trainer decomposed again")

    monkeypatch.setattr(decomposition, "decompose", refuse)


def test_tasks_from_a_structure_verdict_or_decomposition_have_the_exact_table():
    D = pc.decompose(TEXT)
    V = pc.classify(D)
    for obj in (D, V, D.structure):
        task = as_task(obj)
        assert task.p == P and np.array_equal(task.table, reference())
        assert task.structure is not None


def test_training_on_a_verdict_uses_its_structure_and_equals_training_on_the_text(monkeypatch):
    by_text = pc.train(TEXT, seed=3, **TINY)
    D = pc.decompose(TEXT)
    V = pc.classify(D)
    no_decompose(monkeypatch)
    for obj in (V, D, D.structure):
        by_structure = pc.train(obj, seed=3, **TINY)
        assert by_structure.history == by_text.history  # same split, same IPR basis
        assert torch.equal(by_structure.model.embed, by_text.model.embed)


def test_a_composite_decomposition_trains_without_decomposing_again(monkeypatch):
    text = f"x^2 + x*y + y^2 mod {P}"
    D = pc.decompose(text)
    assert D.structure is None
    by_text = pc.train(text, seed=1, **TINY)
    no_decompose(monkeypatch)
    assert pc.train(D, seed=1, **TINY).history == by_text.history


def test_a_verdict_without_structure_is_refused_with_what_to_pass():
    V = pc.classify(f"x^2 + x*y + y^2 mod {P}")
    with pytest.raises(TrainConfigError, match="polynomial text or its value table"):
        pc.train(V, **TINY)


def test_a_structure_task_resumes_with_its_structure(tmp_path, monkeypatch):
    St = pc.decompose(TEXT).structure
    settings = {**TINY, "steps": 40}
    full = pc.train(St, seed=2, **settings)
    pc.train(St, seed=2, checkpoint_dir=tmp_path, checkpoint_every=20, **settings)
    no_decompose(monkeypatch)  # the basis comes back from the checkpoint's structure
    resumed = resume(tmp_path / "step_00000020.pt")[0]
    assert resumed.history == full.history
    assert torch.equal(resumed.model.readout, full.model.readout)
