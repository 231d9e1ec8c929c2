"""Reading network files (``net.save(path)``): the whole file is checked before anything is built.

A file is safetensors weights plus a JSON header ``{kind, config, info}`` (``metadata`` in
files written before NetworkInfo). A crafted or
damaged file must not crash, allocate without bound or build a network that fails later, so
`load` checks, in order: that the file exists and is readable safetensors; that the
header has a known kind and a configuration of positive integers within the weight cap; that
the tensors have exactly the names, shapes and a float dtype the configuration implies; and
that the metadata's polynomial (when there is one) has the network's modulus and arity.
Only then are tensors read and modules built.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import torch
from safetensors.torch import load_file

from .dtypes import torch_dtype
from .errors import PolyclassError
from .netinfo import NetworkInfo
from .nn import MAX_PARAMETERS, ExpertNetwork, PowerMLP, default_device
from .validation import check_device

Network = PowerMLP | ExpertNetwork

_FLOAT_DTYPES = {"F32": torch.float32, "F64": torch.float64}


class _Bad(PolyclassError, ValueError):
    """A header that does not describe a network (reported with the file's name)."""


def load(
    path: str | os.PathLike[str],
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype | str | None = None,
) -> Network:
    """Read a network written by ``net.save(path)`` (weights, architecture and metadata).

    Raises PolyclassError, with what is wrong, for a missing file, a file that is not a
    polyclass network, or one whose parts do not fit together.
    """
    path = os.fspath(path)
    dev = default_device() if device is None else check_device(device)
    header, shapes = _read_header(path)
    try:
        kind, cfg = header["kind"], header["config"]
        expected = _expected_tensors(kind, cfg)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PolyclassError):
            raise PolyclassError(f"{path!r}: {exc}") from None
        raise PolyclassError(f"{path!r}: the network header is malformed ({exc!r})") from None
    if set(shapes) != set(expected):
        raise PolyclassError(
            f"{path!r}: the file holds tensors {sorted(shapes)}, but a {kind} with this "
            f"configuration has {sorted(expected)}"
        )
    dtypes = set()
    for name, (dt, shape) in shapes.items():
        if shape != expected[name]:
            raise PolyclassError(
                f"{path!r}: tensor {name!r} has shape {shape}, expected {expected[name]}"
            )
        if dt not in _FLOAT_DTYPES:
            raise PolyclassError(f"{path!r}: tensor {name!r} has dtype {dt}, not F32 or F64")
        dtypes.add(dt)
    if len(dtypes) != 1:
        raise PolyclassError(f"{path!r}: tensors mix the dtypes {sorted(dtypes)}")
    metadata = header.get("info") or header.get("metadata") or {}
    p = _modulus(kind, cfg)
    _check_metadata(path, metadata, p, int(cfg["n_inputs"]))
    info = _info(path, metadata, p)

    try:
        tensors = load_file(path)
    except Exception as exc:  # noqa: BLE001 - a truncated or corrupt body, whatever the library
        raise PolyclassError(
            f"{path!r}: the weights cannot be read ({type(exc).__name__}); the file is damaged"
        ) from None
    if not all(bool(torch.isfinite(t).all()) for t in tensors.values()):
        raise PolyclassError(f"{path!r}: the weights contain NaN or infinite values")
    net = _build(kind, cfg)
    first_dtype = _FLOAT_DTYPES[dtypes.pop()]
    net = net.to(dtype=first_dtype)
    net.load_state_dict(tensors)
    net = net.to(device=dev, dtype=torch_dtype(dtype) if dtype is not None else first_dtype)
    net.info = info
    return net


def _info(path: str, metadata: dict[str, Any], p: int) -> NetworkInfo | None:
    """The header's NetworkInfo (None for files without one), checked against the weights."""
    if "p" not in metadata:
        return None
    try:
        info = NetworkInfo.from_dict(metadata)
    except (TypeError, ValueError) as exc:
        raise PolyclassError(f"{path!r}: the network info is malformed ({exc})") from None
    if info.p != p:
        raise PolyclassError(f"{path!r}: the info says mod {info.p}, the weights are mod {p}")
    return info


def _read_header(path: str) -> tuple[dict[str, Any], dict[str, tuple[str, tuple[int, ...]]]]:
    """The JSON header and ``{tensor name: (dtype, shape)}``, without reading any tensor."""
    if not os.path.exists(path):
        raise PolyclassError(f"network file {path!r} does not exist")
    if not os.path.isfile(path):
        raise PolyclassError(f"{path!r} is a folder, not a network file")
    try:
        with open(path, "rb") as fh:
            size = int.from_bytes(fh.read(8), "little")
            if not 2 <= size <= min(os.path.getsize(path) - 8, 100 * 2**20):
                raise ValueError("bad header length")
            raw = json.loads(fh.read(size))
        meta = raw.pop("__metadata__", None) or {}
        header = json.loads(meta["polyclass"])
        shapes = {
            name: (str(v["dtype"]), tuple(int(d) for d in v["shape"])) for name, v in raw.items()
        }
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PolyclassError(
            f"{path!r} is not a polyclass network file ({type(exc).__name__}); "
            "write one with net.save(path)"
        ) from None
    return header, shapes


def _positive(cfg: dict[str, Any], name: str, cap: int | None = None) -> int:
    value = cfg[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Bad(f"config {name!r} must be a positive integer, not {value!r}")
    if cap is not None and value > cap:
        raise _Bad(f"config {name!r} is {value}, above the cap of {cap:,}")
    return value


def _mlp_shapes(cfg: dict[str, Any], prefix: str = "") -> dict[str, tuple[int, ...]]:
    if not isinstance(cfg, dict):
        raise _Bad("an expert's configuration is not an object")
    S = _positive(cfg, "n_inputs", 64)
    n_in = _positive(cfg, "in_dim", 2**31)
    width = _positive(cfg, "width", MAX_PARAMETERS)
    n_out = _positive(cfg, "out_dim", 2**31)
    _positive(cfg, "power", 64)
    if (S * n_in + n_out) * width > MAX_PARAMETERS:
        raise _Bad(f"the network would have more than {MAX_PARAMETERS:,} weights")
    return {f"{prefix}embed": (S, n_in, width), f"{prefix}readout": (n_out, width)}


def _expected_tensors(kind: object, cfg: Any) -> dict[str, tuple[int, ...]]:
    """Tensor names and shapes implied by a header (raises _Bad when it is inconsistent)."""
    if not isinstance(cfg, dict):
        raise _Bad("the configuration is not an object")
    if kind == "PowerMLP":
        return _mlp_shapes(cfg)
    if kind != "ExpertNetwork":
        raise _Bad(f"unknown network kind {kind!r} (PowerMLP or ExpertNetwork)")
    _positive(cfg, "n_inputs", 64)
    _positive(cfg, "p", 2**31)
    beta = cfg["beta"]
    if not isinstance(beta, (int, float)) or isinstance(beta, bool) or not math.isfinite(beta):
        raise _Bad(f"config 'beta' must be a finite number, not {beta!r}")
    stages = cfg["stages"]
    if not isinstance(stages, list) or not 1 <= len(stages) <= 1024:
        raise _Bad("config 'stages' must be a list of 1 to 1024 stages")
    out: dict[str, tuple[int, ...]] = {}
    total = 0
    for st in stages:
        name = st["name"]
        if not isinstance(name, str) or not isinstance(st["inputs"], list):
            raise _Bad("a stage needs a name and a list of inputs")
        shapes = _mlp_shapes(st["expert"], f"experts.{name}.")
        total += sum(math.prod(s) for s in shapes.values())
        out.update(shapes)
    if total > MAX_PARAMETERS:
        raise _Bad(f"the network would have more than {MAX_PARAMETERS:,} weights")
    _build(kind, cfg, dry=True)  # routes, sizes and names, on empty experts
    return out


def _modulus(kind: str, cfg: dict[str, Any]) -> int:
    return int(cfg["p"]) if kind == "ExpertNetwork" else int(cfg["out_dim"])


def _check_metadata(path: str, metadata: object, p: int, n_inputs: int) -> None:
    """The polynomial recorded in the metadata must have the network's modulus and arity."""
    if not isinstance(metadata, dict):
        raise PolyclassError(f"{path!r}: the metadata is not an object")
    text = metadata.get("polynomial")
    if text is None:
        return
    from .modpoly import parse

    variables = metadata.get("variables")
    if variables is not None and not isinstance(variables, list):
        raise PolyclassError(f"{path!r}: the metadata's variables are not a list")
    if not isinstance(text, str):
        raise PolyclassError(f"{path!r}: the metadata's polynomial is not text")
    P = parse(text, variables=tuple(variables) if variables else None)
    if P.p != p or P.nvars != n_inputs:
        raise PolyclassError(
            f"{path!r}: the metadata says {P} ({P.nvars} variables mod {P.p}), but the "
            f"weights are for {n_inputs} inputs mod {p}"
        )


def _build(kind: str, cfg: dict[str, Any], dry: bool = False) -> Network:
    """The module a header describes (``dry``: experts of width 1, to check the routes)."""

    def mlp(c: dict[str, Any]) -> PowerMLP:
        width = 1 if dry else c["width"]
        return PowerMLP(c["n_inputs"], c["in_dim"], width, c["out_dim"], power=c["power"])

    if kind == "PowerMLP":
        return mlp(cfg)
    stages = [(s["name"], mlp(s["expert"]), list(s["inputs"])) for s in cfg["stages"]]
    return ExpertNetwork(cfg["n_inputs"], cfg["p"], stages, beta=cfg["beta"])
