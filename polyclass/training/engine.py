"""K power MLPs as one batched tensor program, with a hand-written backward pass.

`BatchedPowerMLP` holds K independent copies of `polyclass.nn.PowerMLP`
(``embed: (K, S, in_dim, N)``, ``readout: (K, out_dim, N)``). Its forward and backward are
written out by hand so a training step costs three matrix products, one gather and one
``index_add_`` per input, with every large intermediate kept in a reused workspace:

    h      = sum_s embed[k, s, x[k, b, s]]          (K, B, N)    gathers, not one-hot matmuls
    act    = h^k                                    (K, B, N)
    logits = act @ readout^T                        (K, B, out)
    d_readout = d_logits^T @ act                    (K, out, N)
    d_h    = (d_logits @ readout) * k h^(k-1)       (K, B, N)
    d_embed[k, s, x[k, b, s]] += d_h[k, b]          index_add_

The K models never interact, so model k follows exactly the arithmetic of a run with
K = 1, up to the summation order inside the batched matrix products.
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict

import torch
from torch import nn

from ..nn import MLPShape, PowerMLP
from .config import OPTIMIZERS


def default_init_std(width: int) -> float:
    """The paper authors' initialisation: standard deviation ``0.5 / (2N)^(1/3)``."""
    return 0.5 / (2.0 * width) ** (1.0 / 3.0)


class BatchedPowerMLP(nn.Module):
    """K independent power MLPs ``W_k (sum_s U_k^(s) e_{n_s})^power`` without biases.

    ``embed: (K, S, in_dim, N)`` and ``readout: (K, out_dim, N)``; model ``k`` has the same
    weight layout as `PowerMLP` (``embed[k]`` and ``readout[k]``), of one `MLPShape`.
    """

    def __init__(
        self,
        n_models: int,
        shape: MLPShape,
        *,
        device: torch.device | str | None = None,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        super().__init__()
        self.n_models, self.shape = n_models, shape
        self.n_inputs, self.in_dim, self.width = shape.n_inputs, shape.in_dim, shape.width
        self.out_dim, self.power = shape.out_dim, shape.power
        self.embed, self.readout = shape.weights((n_models,), device, dtype)
        self._work: dict[tuple[int, int], tuple[torch.Tensor, ...]] = {}

    def extra_repr(self) -> str:
        return (
            f"n_models={self.n_models}, n_inputs={self.n_inputs}, in_dim={self.in_dim}, "
            f"width={self.width}, out_dim={self.out_dim}, power={self.power}"
        )

    def init_(self, generators: list[torch.Generator], std: float) -> None:
        """Draw model k's weights from ``generators[k]`` (CPU), embed first, then readout.

        Draws on the CPU and copies, so a seed gives the same weights on every device and
        for every K.
        """
        with torch.no_grad():
            for k, gen in enumerate(generators):
                e = torch.randn(self.embed.shape[1:], generator=gen, dtype=torch.float64)
                r = torch.randn(self.readout.shape[1:], generator=gen, dtype=torch.float64)
                self.embed[k].copy_(e * std)
                self.readout[k].copy_(r * std)

    def flat_index(self, x: torch.Tensor) -> torch.Tensor:
        """Rows of ``embed.view(K*S*in_dim, N)`` to gather: ``x: (K, B, S)`` -> ``(S, K*B)``."""
        K, B, S = x.shape
        offs = torch.arange(K, device=x.device).view(K, 1, 1) * (S * self.in_dim)
        offs = offs + torch.arange(S, device=x.device).view(1, 1, S) * self.in_dim
        return (x + offs).permute(2, 0, 1).reshape(S, K * B).contiguous()

    def _workspace(self, batch: int) -> tuple[torch.Tensor, ...]:
        key = (batch, self.width)
        if key not in self._work:
            self._work.clear()
            dev, dt = self.embed.device, self.embed.dtype
            K, N, n_out = self.n_models, self.width, self.out_dim
            self._work[key] = (
                torch.empty(K, batch, N, device=dev, dtype=dt),  # h
                torch.empty(K, batch, N, device=dev, dtype=dt),  # act, then d_h
                torch.empty(K, batch, n_out, device=dev, dtype=dt),  # logits
            )
        return self._work[key]

    def hidden_(
        self, idx: torch.Tensor, out: torch.Tensor, tmp: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Pre-activations into ``out: (K, B, N)`` from flat indices ``idx: (S, K*B)``.

        ``tmp`` (same shape as ``out``) is scratch space for the second and later gathers.
        """
        flat = self.embed.detach().view(-1, self.width)
        h2 = out.view(-1, self.width)
        torch.index_select(flat, 0, idx[0], out=h2)
        for s in range(1, idx.shape[0]):
            if tmp is None:
                h2.add_(flat.index_select(0, idx[s]))
            else:
                h2.add_(torch.index_select(flat, 0, idx[s], out=tmp.view(-1, self.width)))
        return out

    def _forward_(
        self,
        idx: torch.Tensor,
        h: torch.Tensor,
        logits: torch.Tensor,
        act: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """The forward pass into buffers: ``h`` pre-activations, ``act = h^power`` and
        ``logits = act @ readout^T``; returns ``act``.

        ``h, act: (K, B, N)``, ``logits: (K, B, out_dim)``. Without ``act`` the powers
        overwrite ``h`` (half the memory, for evaluation).
        """
        self.hidden_(idx, h, tmp=act)
        a = h if act is None else act
        k = self.power
        if k == 1:
            a.copy_(h)
        elif k == 2:
            torch.mul(h, h, out=a)
        else:
            torch.pow(h, k, out=a)
        torch.bmm(a, self.readout.detach().transpose(1, 2), out=logits)
        return a

    @torch.no_grad()
    def logits(self, idx: torch.Tensor) -> torch.Tensor:
        """Logits ``(K, B, out_dim)`` for flat indices ``idx: (S, K*B)`` (no workspace)."""
        K, B = self.n_models, idx.shape[1] // self.n_models
        h = torch.empty(K, B, self.width, device=idx.device, dtype=self.dtype)
        out = torch.empty(K, B, self.out_dim, device=idx.device, dtype=self.dtype)
        self._forward_(idx, h, out)
        return out

    @property
    def dtype(self) -> torch.dtype:
        return self.embed.dtype

    @torch.no_grad()
    def loss_sums(
        self, idx: torch.Tensor, target: torch.Tensor, loss: str
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed loss and number of correct rows per model: two ``(K,)`` float64 tensors.

        ``idx: (S, K*B)`` flat gather indices, ``target: (K, B)`` class labels; the loss of
        a row is the one `loss_and_grad` averages.
        """
        logits = self.logits(idx)
        correct = (logits.argmax(-1) == target).sum(-1).double()
        return _loss_sum(_residual_(logits, target.unsqueeze(-1), loss), target, loss), correct

    @torch.no_grad()
    def loss_and_grad(
        self, idx: torch.Tensor, target: torch.Tensor, loss: str, metrics: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor] | None:
        """Write ``embed.grad`` and ``readout.grad`` of the per-model mean loss on a batch.

        ``idx: (S, K*B)`` flat gather indices, ``target: (K, B)`` class labels. With
        ``metrics``, returns ``loss: (K,)`` and ``accuracy: (K,)`` of the current weights on
        the batch (skipping them saves two passes over the logits).
        """
        K, B = target.shape
        S, k = idx.shape[0], self.power
        h, act, logits = self._workspace(B)
        self._forward_(idx, h, logits, act)
        W = self.readout.detach()
        result = None
        tgt = target.unsqueeze(-1)
        if metrics:
            accuracy = (logits.argmax(-1) == target).sum(-1).double() / B
        res = _residual_(logits, tgt, loss)
        if metrics:
            result = (_loss_sum(res, target, loss) / B, accuracy)
        if loss == "mse":  # d/dlogits of mean((logits - onehot)^2) over the B * out cells
            d_logits = res.mul_(2.0 / (B * self.out_dim))
        else:  # softmax - onehot, over B rows
            d_logits = res.exp_().scatter_add_(-1, tgt, _minus_ones(tgt, res)).mul_(1.0 / B)
        self.readout.grad = torch.bmm(d_logits.transpose(1, 2), act)
        # d_h = (d_logits @ W) * k h^(k-1); the factor k goes on the small d_logits
        if k > 1:
            d_logits.mul_(float(k))
        d_h = torch.bmm(d_logits, W, out=act)  # act is no longer needed
        if k == 2:
            d_h.mul_(h)
        elif k > 2:
            d_h.mul_(h.pow_(k - 1))
        g_embed = torch.zeros_like(self.embed.detach()).view(-1, self.width)
        d_h2 = d_h.view(K * B, self.width)
        for s in range(S):
            g_embed.index_add_(0, idx[s], d_h2)
        self.embed.grad = g_embed.view_as(self.embed)
        return result

    def select(self, slots: torch.Tensor) -> BatchedPowerMLP:
        """A new batch of the models at ``slots`` (a 1-D index tensor), weights copied: how a
        trainer drops the models it has finished."""
        out = BatchedPowerMLP(len(slots), self.shape, device=self.embed.device, dtype=self.dtype)
        with torch.no_grad():
            out.embed.copy_(self.embed.index_select(0, slots))
            out.readout.copy_(self.readout.index_select(0, slots))
        return out

    def model(self, k: int) -> PowerMLP:
        """A standalone `PowerMLP` holding a copy of model ``k``'s weights."""
        net = PowerMLP(**asdict(self.shape), device=self.embed.device, dtype=self.dtype)
        with torch.no_grad():
            net.embed.copy_(self.embed[k])
            net.readout.copy_(self.readout[k])
        return net


def _minus_ones(tgt: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return torch.full_like(tgt, -1, dtype=like.dtype)


def _residual_(logits: torch.Tensor, tgt: torch.Tensor, loss: str) -> torch.Tensor:
    """``logits - onehot`` in place (``"mse"``), or the log-softmax (``"cross_entropy"``).

    ``logits: (K, B, out)``, ``tgt: (K, B, 1)`` class labels.
    """
    if loss == "mse":
        return logits.scatter_add_(-1, tgt, _minus_ones(tgt, logits))
    return torch.log_softmax(logits, -1)


def _loss_sum(res: torch.Tensor, target: torch.Tensor, loss: str) -> torch.Tensor:
    """Per-model loss summed over the rows of a batch, from `_residual_`: ``(K,)``.

    MSE is the mean over the ``out`` cells of a row; cross-entropy is ``-log p(target)``.
    """
    if loss == "mse":
        return res.double().square().sum((1, 2)) / res.shape[-1]
    return -res.gather(-1, target.unsqueeze(-1)).double().sum((1, 2))


class BatchedOptimizer:
    """Adam, AdamW or SGD on tensors whose first axis indexes independent models.

    The arithmetic is that of ``torch.optim.Adam``/``AdamW``/``SGD`` (single-tensor path,
    no amsgrad, no nesterov) applied elementwise, so every model evolves as it would under
    its own torch optimizer. Adam's ``weight_decay`` is coupled L2 (added to the gradient),
    AdamW's is decoupled (``param *= 1 - lr * wd``), SGD's is coupled.
    """

    def __init__(
        self,
        params: list[nn.Parameter],
        *,
        kind: str,
        lr: float,
        weight_decay: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        momentum: float = 0.0,
    ) -> None:
        if kind not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {kind!r}")
        self.params = params
        self.kind = kind
        self.lr = lr
        self.weight_decay = weight_decay
        self.betas = betas
        self.eps = eps
        self.momentum = momentum
        self.step_count = 0
        self.state: list[dict[str, torch.Tensor]] = [{} for _ in params]

    @torch.no_grad()
    def step(self) -> None:
        self.step_count += 1
        t = self.step_count
        for param, state in zip(self.params, self.state, strict=True):
            grad = param.grad
            assert grad is not None, "loss_and_grad must run before step"
            p = param.detach()
            if self.kind == "sgd":
                self._sgd(p, grad, state)
                continue
            if self.kind == "adam" and self.weight_decay:
                grad = grad.add(p, alpha=self.weight_decay)
            elif self.kind == "adamw" and self.weight_decay:
                p.mul_(1.0 - self.lr * self.weight_decay)
            if not state:
                state["exp_avg"] = torch.zeros_like(p)
                state["exp_avg_sq"] = torch.zeros_like(p)
            m, v = state["exp_avg"], state["exp_avg_sq"]
            beta1, beta2 = self.betas
            m.lerp_(grad, 1.0 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1.0 - beta2)
            bc1 = 1.0 - beta1**t
            bc2_sqrt = math.sqrt(1.0 - beta2**t)
            denom = v.sqrt().div_(bc2_sqrt).add_(self.eps)
            p.addcdiv_(m, denom, value=-self.lr / bc1)

    def _sgd(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, torch.Tensor]) -> None:
        if self.weight_decay:
            grad = grad.add(p, alpha=self.weight_decay)
        if self.momentum:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = grad.clone()
            else:
                state["momentum_buffer"].mul_(self.momentum).add_(grad)
            grad = state["momentum_buffer"]
        p.add_(grad, alpha=-self.lr)

    def select(self, params: list[nn.Parameter], slots: torch.Tensor) -> BatchedOptimizer:
        """The optimiser of ``params``, the models at ``slots`` of this one's (its step count
        and their state carried over): the pair of `BatchedPowerMLP.select`."""
        out = copy.copy(self)  # the hyperparameters and step count
        out.params = params
        out.state = [{k: v.index_select(0, slots) for k, v in s.items()} for s in self.state]
        return out

    def state_dict(self) -> dict[str, object]:
        return {
            "step": self.step_count,
            "state": [{k: v.clone() for k, v in s.items()} for s in self.state],
        }

    def load_state_dict(self, sd: dict[str, object]) -> None:
        step = sd["step"]
        states = sd["state"]
        assert isinstance(step, int) and isinstance(states, list)
        self.step_count = step
        self.state = [
            {k: v.to(p.device, p.dtype) for k, v in s.items()}
            for s, p in zip(states, self.params, strict=True)
        ]
