"""``polyclass.train``: the training API under the name of its main function.

``pc.train`` is the function `polyclass.training.train`; this module lets
``import polyclass.train as t`` reach the rest of `polyclass.training` too
(``t.TrainConfig``, ``t.resume``, ...). Python binds ``polyclass.train`` to this module once
it is imported, so the module is callable and calling it trains, exactly like the function.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .training import *  # noqa: F403 - the module re-exports the training API
from .training import __all__ as __all__
from .training import train as _train


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _train(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
