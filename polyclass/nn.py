"""Torch modules shared by compiled and trained networks.

:class:`PowerMLP` is the paper's 2-layer network without biases,

    logits = W · phi(U^(1)[:, n_1] + ... + U^(S)[:, n_S]),   phi(x) = x^k,

with one embedding matrix per input. One-hot inputs are gathers, never matmuls; an input
given as a probability vector (the softmax output of an earlier expert) is a matmul with
the same weights, so compiled mixtures of experts and trained networks share one class
and can be compared weight for weight.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


def default_device() -> torch.device:
    """CUDA when available, else CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class PowerMLP(nn.Module):
    """Two-layer MLP ``W · (sum_s U^(s) e_{n_s})^k`` on residues.

    Parameters
    ----------
    n_inputs:
        Number of inputs S.
    in_dim:
        Size of each input alphabet (``p`` for residues).
    width:
        Hidden width N.
    out_dim:
        Number of logits (``p``).
    power:
        Exponent k of the activation; defaults to ``n_inputs`` as in the paper.

    Weights: ``embed`` has shape ``(S, in_dim, N)`` (row ``embed[s, n]`` is column ``n`` of
    the paper's ``U^(s)``); ``readout`` has shape ``(out_dim, N)`` (the paper's ``W``).
    Compiled networks also carry ``metadata`` (a JSON-ready dict saved with :meth:`save`).
    """

    metadata: dict[str, Any]

    def __init__(
        self,
        n_inputs: int,
        in_dim: int,
        width: int,
        out_dim: int | None = None,
        *,
        power: int | None = None,
        device: torch.device | str | None = None,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        super().__init__()
        if n_inputs < 1 or in_dim < 1 or width < 1:
            raise ValueError("n_inputs, in_dim and width must be positive")
        self.n_inputs = n_inputs
        self.in_dim = in_dim
        self.width = width
        self.out_dim = in_dim if out_dim is None else out_dim
        self.power = n_inputs if power is None else power
        self.embed = nn.Parameter(torch.zeros(n_inputs, in_dim, width, device=device, dtype=dtype))
        self.readout = nn.Parameter(torch.zeros(self.out_dim, width, device=device, dtype=dtype))

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden width of every expert in the network (one here)."""
        return (self.width,)

    def hidden(self, x: torch.Tensor) -> torch.Tensor:
        """Pre-activations ``(batch, N)``.

        ``x`` is either a LongTensor ``(batch, S)`` of residues (gathers) or a float tensor
        ``(batch, S, in_dim)`` of distributions over residues (matmuls).
        """
        if x.dtype in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
            if x.dim() != 2 or x.shape[1] != self.n_inputs:
                raise ValueError(
                    f"expected input of shape (batch, {self.n_inputs}), got {tuple(x.shape)}"
                )
            x = x.to(device=self.embed.device, dtype=torch.long)
            h = self.embed[0].index_select(0, x[:, 0])
            for s in range(1, self.n_inputs):
                h = h + self.embed[s].index_select(0, x[:, s])
            return h
        if x.dim() != 3 or x.shape[1] != self.n_inputs or x.shape[2] != self.in_dim:
            raise ValueError(
                f"expected (batch, {self.n_inputs}, {self.in_dim}) distributions, "
                f"got {tuple(x.shape)}"
            )
        x = x.to(device=self.embed.device, dtype=self.embed.dtype)
        return torch.einsum("bsi,sin->bn", x, self.embed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, out_dim)``."""
        return self.hidden(x).pow(self.power) @ self.readout.T

    def extra_repr(self) -> str:
        return (
            f"n_inputs={self.n_inputs}, in_dim={self.in_dim}, width={self.width}, "
            f"out_dim={self.out_dim}, power={self.power}"
        )

    # ---- compiled networks: configuration, saving -------------------------------------------
    def config(self) -> dict[str, Any]:
        """Constructor arguments (JSON-ready), enough to rebuild the module before loading."""
        return {
            "n_inputs": self.n_inputs,
            "in_dim": self.in_dim,
            "width": self.width,
            "out_dim": self.out_dim,
            "power": self.power,
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Weights as safetensors, with :meth:`config` and ``self.metadata`` in its header."""
        save_module(self, "PowerMLP", self.config(), path)


def save_module(
    module: nn.Module, kind: str, config: dict[str, Any], path: str | os.PathLike[str]
) -> None:
    """Write ``module``'s weights and a JSON header ``{kind, config, metadata}`` (safetensors)."""
    from safetensors.torch import save_file

    header = {"kind": kind, "config": config, "metadata": getattr(module, "metadata", {})}
    tensors = {k: v.detach().cpu().contiguous() for k, v in module.state_dict().items()}
    save_file(tensors, os.fspath(path), metadata={"polyclass": json.dumps(header)})


class ExpertNetwork(nn.Module):
    """Experts (:class:`PowerMLP`) chained through temperature softmax.

    ``stages`` is a list of ``(name, expert, inputs)`` in evaluation order; each input is either
    ``"n<s>"`` (the raw residue of variable ``s``, a one-hot vector) or the name of an earlier
    stage, whose logits ``t`` enter as ``softmax(beta * t)``. The last stage gives the output.

    ``net(x)``: LongTensor ``(batch, S)`` -> logits ``(batch, p)``.
    :meth:`run_with_cache` also returns every intermediate value by name:
    ``"<stage>.hidden"`` (pre-activations ``(batch, N)``), ``"<stage>.logits"`` ``(batch, p)`` and
    ``"<stage>.softmax"`` ``(batch, p)`` for stages that feed others.
    """

    def __init__(
        self,
        n_inputs: int,
        p: int,
        stages: Sequence[tuple[str, PowerMLP, Sequence[str]]],
        *,
        beta: float = 100.0,
    ) -> None:
        super().__init__()
        if not stages:
            raise ValueError("an ExpertNetwork needs at least one stage")
        self.n_inputs = n_inputs
        self.p = p
        self.beta = float(beta)
        self.experts = nn.ModuleDict()
        self.routes: dict[str, tuple[str, ...]] = {}
        known = {f"n{s}" for s in range(n_inputs)}
        for name, expert, inputs in stages:
            if name in known or "." in name:
                raise ValueError(f"bad or repeated stage name {name!r}")
            missing = [i for i in inputs if i not in known]
            if missing:
                raise ValueError(f"stage {name!r} reads unknown inputs {missing}")
            if len(inputs) != expert.n_inputs:
                raise ValueError(f"stage {name!r} has {expert.n_inputs} inputs, routes {inputs}")
            self.experts[name] = expert
            self.routes[name] = tuple(inputs)
            known.add(name)
        self.output = stages[-1][0]
        self.metadata: dict[str, Any] = {}

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden width of every expert, in evaluation order."""
        return tuple(self.expert(name).width for name in self.routes)

    def stage_names(self) -> tuple[str, ...]:
        """Names of the stages in evaluation order (the last one is the output)."""
        return tuple(self.routes)

    def expert(self, name: str) -> PowerMLP:
        """The PowerMLP of stage ``name``."""
        module = self.experts[name]
        assert isinstance(module, PowerMLP)
        return module

    def run_with_cache(self, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """Logits ``(batch, p)`` and a dict of every intermediate output by name."""
        if x.dim() != 2 or x.shape[1] != self.n_inputs:
            raise ValueError(
                f"expected input of shape (batch, {self.n_inputs}), got {tuple(x.shape)}"
            )
        dtype = self.expert(self.output).embed.dtype
        x = x.long().to(self.expert(self.output).embed.device)
        cache: dict[str, torch.Tensor] = {}
        consumers = {i for ins in self.routes.values() for i in ins}
        for name, inputs in self.routes.items():
            expert = self.expert(name)
            if all(i.startswith("n") and i[1:].isdigit() for i in inputs):
                idx = torch.tensor([int(i[1:]) for i in inputs], device=x.device)
                feed: torch.Tensor = x.index_select(1, idx)
            else:
                parts = []
                for i in inputs:
                    if i in cache:
                        parts.append(cache[f"{i}.softmax"])
                    else:
                        parts.append(F.one_hot(x[:, int(i[1:])], self.p).to(dtype))
                feed = torch.stack(parts, dim=1)
            hidden = expert.hidden(feed)
            logits = hidden.pow(expert.power) @ expert.readout.T
            cache[f"{name}.hidden"] = hidden
            cache[f"{name}.logits"] = logits
            cache[name] = logits
            if name in consumers:
                cache[f"{name}.softmax"] = torch.softmax(self.beta * logits, dim=-1)
        out = cache[self.output]
        for name in self.routes:
            del cache[name]
        return out, cache

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, p)`` for a LongTensor ``(batch, S)`` of residues."""
        return self.run_with_cache(x)[0]

    def config(self) -> dict[str, Any]:
        return {
            "n_inputs": self.n_inputs,
            "p": self.p,
            "beta": self.beta,
            "stages": [
                {"name": name, "inputs": list(inputs), "expert": self.expert(name).config()}
                for name, inputs in self.routes.items()
            ],
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Weights as safetensors, with :meth:`config` and ``self.metadata`` in its header."""
        save_module(self, "ExpertNetwork", self.config(), path)

    def extra_repr(self) -> str:
        return f"p={self.p}, beta={self.beta}, widths={self.widths}, output={self.output!r}"
