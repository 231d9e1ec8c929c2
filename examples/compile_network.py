"""From a polynomial string to a network that is right on every input.

    python examples/compile_network.py ["2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod 97"]

POLYCLASS_SMOKE=1 uses p = 23 instead of 97 (for the smoke test).
"""

from __future__ import annotations

import os
import sys
import tempfile

import torch

import polyclass as pc

SMOKE = os.environ.get("POLYCLASS_SMOKE") == "1"
DEFAULT = "2*n1^4*n2 + n1^2*n2^2 + 3*n1*n2^3 mod " + ("23" if SMOKE else "97")


def main(text: str) -> None:
    net = pc.compile(text)  # exact method: lattice phases, right by construction
    print(f"compiled {net.info.polynomial}: expert widths {net.widths}")
    logits = net(torch.tensor([[3, 5]], device=next(net.parameters()).device))
    P = pc.parse(text)
    print(f"f(3, 5) = {P(3, 5)}; the network says {int(logits.argmax())}")
    report = pc.verify(net, P)
    print(report)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "net.safetensors")
        net.save(path)
        again = pc.verify(pc.load(path), P)
        print(f"saved and reloaded: accuracy {again.accuracy:.6f}, margin {again.min_margin:.4g}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT)
