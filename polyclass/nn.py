"""Torch modules shared by compiled and trained networks.

:class:`PowerMLP` is the paper's 2-layer network without biases,

    logits = W · phi(U^(1)[:, n_1] + ... + U^(S)[:, n_S]),   phi(x) = x^k,

with one embedding matrix per input. One-hot inputs are gathers, never matmuls; an input
given as a probability vector (the softmax output of an earlier expert) is a matmul with
the same weights, so compiled mixtures of experts and trained networks share one class
and can be compared weight for weight.
"""

from __future__ import annotations

import torch
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
    """

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
            x = x.long()
            h = self.embed[0].index_select(0, x[:, 0])
            for s in range(1, self.n_inputs):
                h = h + self.embed[s].index_select(0, x[:, s])
            return h
        if x.dim() != 3 or x.shape[1] != self.n_inputs or x.shape[2] != self.in_dim:
            raise ValueError(
                f"expected (batch, {self.n_inputs}, {self.in_dim}) distributions, "
                f"got {tuple(x.shape)}"
            )
        return torch.einsum("bsi,sin->bn", x.to(self.embed.dtype), self.embed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, out_dim)``."""
        return self.hidden(x).pow(self.power) @ self.readout.T

    def extra_repr(self) -> str:
        return (
            f"n_inputs={self.n_inputs}, in_dim={self.in_dim}, width={self.width}, "
            f"out_dim={self.out_dim}, power={self.power}"
        )
