"""Worker processes that do not outlive the process that started them.

A sweep killed with ``kill -9`` cannot tell its workers to stop, and they would wait on
their task queue forever (the queue's pipe stays open in the workers themselves), keeping
the multiprocessing resource tracker alive too. `init_worker` starts a watch on the
parent first thing in a worker; this module imports nothing heavy, so the watch runs while
the worker is still importing torch.
"""

from __future__ import annotations

import os
import threading
import time

#: Seconds between two checks of a worker that its parent is still alive.
PARENT_POLL_SECONDS = 0.5


def watch_parent(parent: int | None = None) -> None:
    """Exit this process as soon as its parent is gone (it has been re-parented).

    ``parent``: the pid the parent had when it started this process (pass it: a parent
    that died before this call would otherwise go unnoticed).
    """
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="polyclass-parent-watch", daemon=True).start()


def init_worker(parent: int | None = None) -> None:
    """Initializer of sweep worker processes: the parent watch, then one torch thread.

    Small tensor programs run best on one thread per core: several threads per process
    spend their time synchronising, worst of all when the machine is busy.
    """
    watch_parent(parent)
    import torch

    torch.set_num_threads(1)
