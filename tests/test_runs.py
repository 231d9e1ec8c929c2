"""Run folders are public: pc.save_run writes what `polyclass train -o` writes; pc.load_run."""

import json

import pytest
import torch

import polyclass as pc


def test_save_run_and_load_run_round_trip(tmp_path):
    T = pc.train("n1*n2 mod 5", width=8, steps=10, progress=False)
    folder = pc.save_run(T, tmp_path / "run", polynomial="n1*n2 mod 5")
    run = pc.load_run(folder)
    assert isinstance(run, pc.Run) and run.polynomial == "n1*n2 mod 5"
    assert run.result == json.loads(json.dumps(dict(T.to_dict(), polynomial="n1*n2 mod 5")))
    assert run.history == run.result["history"] and len(run.history) >= 1
    for name, tensor in T.model.state_dict().items():
        assert torch.equal(run.model.state_dict()[name].cpu(), tensor.cpu())
    assert run.initial is None


def test_load_run_refuses_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(pc.PolyclassError, match="not a polyclass run folder"):
        pc.load_run(tmp_path)
