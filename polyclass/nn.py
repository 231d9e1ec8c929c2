"""Torch modules shared by compiled and trained networks.

`PowerMLP` is the paper's 2-layer network without biases,

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
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

from .errors import CompileError, PolyclassError
from .netinfo import NetworkInfo
from .validation import check_finite, check_int

#: Most weights one PowerMLP may have (1 GiB in float32); larger requests are refused.
MAX_PARAMETERS = 2**28


def default_device() -> torch.device:
    """CUDA when available, else CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class HookPoint(nn.Identity):
    """A named point of a forward pass: a standard forward hook on it reads the value there
    (or replaces it, by returning a new one)."""


def _store(cache: dict[str, torch.Tensor], name: str) -> Any:
    def hook(module: nn.Module, args: Any, output: torch.Tensor) -> None:
        cache[name] = output

    return hook


@dataclass(frozen=True)
class MLPShape:
    """The sizes of a power MLP, checked once: `PowerMLP` and the trainer's batched model
    (K of them in one tensor) are built from one.

    Weights: ``embed (S, in_dim, N)`` and ``readout (out_dim, N)``, behind any leading
    model axis.
    """

    n_inputs: int
    in_dim: int
    width: int
    out_dim: int
    power: int

    @classmethod
    def checked(
        cls,
        n_inputs: int,
        in_dim: int,
        width: int,
        out_dim: int | None = None,
        power: int | None = None,
    ) -> MLPShape:
        """Sizes from a caller (``out_dim`` defaults to ``in_dim``, ``power`` to
        ``n_inputs``); CompileError for a non-positive size or over `MAX_PARAMETERS` weights."""
        n_inputs = check_int(n_inputs, "n_inputs", minimum=1, error=CompileError)
        in_dim = check_int(in_dim, "in_dim", minimum=1, error=CompileError)
        width = check_int(width, "width", minimum=1, error=CompileError)
        out_dim = in_dim if out_dim is None else check_int(out_dim, "out_dim", minimum=1)
        if power is not None:
            power = check_int(power, "power", minimum=1, maximum=64, error=CompileError)
        weights = (n_inputs * in_dim + out_dim) * width
        if weights > MAX_PARAMETERS:
            raise CompileError(
                f"a PowerMLP with {n_inputs} inputs, in_dim {in_dim}, width {width:,} and "
                f"out_dim {out_dim} has {weights:,} weights ({weights * 4 / 2**30:.1f} GiB in "
                f"float32), above the cap of {MAX_PARAMETERS:,}; use a smaller width"
            )
        return cls(n_inputs, in_dim, width, out_dim, n_inputs if power is None else power)

    def weights(
        self, lead: tuple[int, ...], device: torch.device | str | None, dtype: torch.dtype
    ) -> tuple[nn.Parameter, nn.Parameter]:
        """Zero ``embed (*lead, S, in_dim, N)`` and ``readout (*lead, out_dim, N)``."""
        embed = torch.zeros(
            *lead, self.n_inputs, self.in_dim, self.width, device=device, dtype=dtype
        )
        readout = torch.zeros(*lead, self.out_dim, self.width, device=device, dtype=dtype)
        return nn.Parameter(embed), nn.Parameter(readout)


class PowerMLP(nn.Module):
    """Two-layer MLP ``W · (sum_s U^(s) e_{n_s})^k`` on residues.

    Args:
        n_inputs: Number of inputs S.
        in_dim: Size of each input alphabet (``p`` for residues).
        width: Hidden width N.
        out_dim: Number of logits (``p``).
        power: Exponent k of the activation; defaults to ``n_inputs`` as in the paper.

    Weights: ``embed`` has shape ``(S, in_dim, N)`` (row ``embed[s, n]`` is column ``n`` of
    the paper's ``U^(s)``); ``readout`` has shape ``(out_dim, N)`` (the paper's ``W``).
    The forward pass goes through three `HookPoint` modules, ``hook_hidden``
    (pre-activations ``(batch, N)``), ``hook_activation`` (their k-th powers ``(batch, N)``)
    and ``hook_logits`` (``(batch, out_dim)``); `run_with_cache` records all three.
    Compiled networks also carry ``info`` (a `NetworkInfo`, saved
    with `save`); None otherwise.
    """

    info: NetworkInfo | None = None
    #: Names of the values :meth:`run_with_cache` records, in the order they are computed.
    CACHE_NAMES = ("hidden", "activation", "logits")

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
        shape = MLPShape.checked(n_inputs, in_dim, width, out_dim, power)
        self.n_inputs, self.in_dim, self.width = shape.n_inputs, shape.in_dim, shape.width
        self.out_dim, self.power = shape.out_dim, shape.power
        self.embed, self.readout = shape.weights((), device, dtype)
        self.hook_hidden = HookPoint()
        self.hook_activation = HookPoint()
        self.hook_logits = HookPoint()

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
                raise PolyclassError(
                    f"expected input of shape (batch, {self.n_inputs}), got {tuple(x.shape)}"
                )
            x = x.to(device=self.embed.device, dtype=torch.long)
            h = self.embed[0].index_select(0, x[:, 0])
            for s in range(1, self.n_inputs):
                h = h + self.embed[s].index_select(0, x[:, s])
            return h
        if x.dim() != 3 or x.shape[1] != self.n_inputs or x.shape[2] != self.in_dim:
            raise PolyclassError(
                f"expected (batch, {self.n_inputs}, {self.in_dim}) distributions, "
                f"got {tuple(x.shape)}"
            )
        x = x.to(device=self.embed.device, dtype=self.embed.dtype)
        return torch.einsum("bsi,sin->bn", x, self.embed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, out_dim)``."""
        h = self.hook_hidden(self.hidden(x))
        act = self.hook_activation(h.pow(self.power))
        return self.hook_logits(act @ self.readout.T)

    def run_with_cache(self, x: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """Logits ``(batch, out_dim)`` and the values at every hook point, by name.

        ``cache["hidden"]``, ``cache["activation"]``: ``(batch, N)``; ``cache["logits"]``:
        ``(batch, out_dim)``. One ordinary forward pass, observed through forward hooks.
        """
        cache: dict[str, torch.Tensor] = {}
        handles = [
            getattr(self, f"hook_{name}").register_forward_hook(_store(cache, name))
            for name in self.CACHE_NAMES
        ]
        try:
            logits = self(x)
        finally:
            for handle in handles:
                handle.remove()
        return logits, cache

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
        """Weights as safetensors, with `config` and ``self.info`` in its header."""
        save_module(self, "PowerMLP", self.config(), path)


def save_module(
    module: nn.Module, kind: str, config: dict[str, Any], path: str | os.PathLike[str]
) -> None:
    """Write ``module``'s weights and a JSON header ``{kind, config, info}`` (safetensors)."""
    info = getattr(module, "info", None)
    header = {"kind": kind, "config": config, "info": None if info is None else info.to_dict()}
    tensors = {k: v.detach().cpu().contiguous() for k, v in module.state_dict().items()}
    save_file(tensors, os.fspath(path), metadata={"polyclass": json.dumps(header)})


class ExpertNetwork(nn.Module):
    """Experts (`PowerMLP`) chained through temperature softmax.

    ``stages`` is a list of ``(name, expert, inputs)`` in evaluation order; each input is either
    ``"n<s>"`` (the raw residue of variable ``s``, a one-hot vector) or the name of an earlier
    stage, whose logits ``t`` enter as ``softmax(beta * t)``. The last stage gives the output.

    ``net(x)``: LongTensor ``(batch, S)`` -> logits ``(batch, p)``.
    `run_with_cache` also returns every intermediate value by name: the values of
    `PowerMLP.run_with_cache` of each stage as ``"<stage>.hidden"`` (pre-activations
    ``(batch, N)``), ``"<stage>.activation"`` and ``"<stage>.logits"`` ``(batch, p)``, and
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
            raise CompileError("an ExpertNetwork needs at least one stage")
        n_inputs = check_int(n_inputs, "n_inputs", minimum=1, error=CompileError)
        p = check_int(p, "p", minimum=2, error=CompileError)
        beta = check_finite(beta, "beta", error=CompileError)
        self.n_inputs = n_inputs
        self.p = p
        self.beta = float(beta)
        self.experts = nn.ModuleDict()
        self.routes: dict[str, tuple[str, ...]] = {}
        known = {f"n{s}": p for s in range(n_inputs)}  # source -> size of what it sends
        for name, expert, inputs in stages:
            if not isinstance(name, str) or name in known or "." in name:
                raise CompileError(f"bad or repeated stage name {name!r}")
            if not isinstance(expert, PowerMLP):
                raise CompileError(
                    f"stage {name!r} must be a PowerMLP, not {type(expert).__name__}"
                )
            missing = [i for i in inputs if i not in known]
            if missing:
                raise CompileError(f"stage {name!r} reads unknown inputs {missing}")
            if len(inputs) != expert.n_inputs:
                raise CompileError(
                    f"stage {name!r} has {expert.n_inputs} inputs, routes {list(inputs)}"
                )
            sizes = {known[i] for i in inputs}
            if sizes != {expert.in_dim}:
                raise CompileError(
                    f"stage {name!r} reads vectors of size {expert.in_dim}, but its inputs "
                    f"{list(inputs)} send sizes {sorted(sizes)}"
                )
            self.experts[name] = expert
            self.routes[name] = tuple(inputs)
            known[name] = expert.out_dim
        self.output = stages[-1][0]
        if known[self.output] != p:
            raise CompileError(
                f"the output stage {self.output!r} gives {known[self.output]} logits, not p = {p}"
            )
        self.info: NetworkInfo | None = None

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
            raise PolyclassError(
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
                    if f"{i}.softmax" in cache:
                        parts.append(cache[f"{i}.softmax"])
                    else:
                        parts.append(F.one_hot(x[:, int(i[1:])], self.p).to(dtype))
                feed = torch.stack(parts, dim=1)
            logits, inner = expert.run_with_cache(feed)
            cache.update({f"{name}.{key}": value for key, value in inner.items()})
            if name in consumers:
                cache[f"{name}.softmax"] = torch.softmax(self.beta * logits, dim=-1)
        return cache[f"{self.output}.logits"], cache

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
        """Weights as safetensors, with `config` and ``self.info`` in its header."""
        save_module(self, "ExpertNetwork", self.config(), path)

    def extra_repr(self) -> str:
        return f"p={self.p}, beta={self.beta}, widths={self.widths}, output={self.output!r}"
