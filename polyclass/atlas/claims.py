"""Sharing one sweep database between several sweeps: job claims with an expiring lease.

Before a sweep runs a batch it claims the batch's jobs in the database (table ``claims``
beside ``results``, keyed like a result row); a job that is stored, or claimed by another
live sweep, is left to that sweep. Claims carry a lease that the owner renews while it
runs, so the claims of a sweep killed with ``kill -9`` expire and are taken over by the
others. A sweep that runs out of claimable jobs waits for the jobs other sweeps hold, and
takes over any whose lease runs out, so every sweep returns only when every job of the
family is stored, and each job has run once.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

#: Seconds a claim stays valid without renewal (the owner renews every third of it).
LEASE_SECONDS = 60.0
#: Seconds between two looks at jobs another sweep on the same database holds.
POLL_SECONDS = 1.0

_SCHEMA = """CREATE TABLE IF NOT EXISTS claims (
  poly TEXT NOT NULL, p INTEGER NOT NULL, seed INTEGER NOT NULL, alpha REAL NOT NULL,
  config_hash TEXT NOT NULL, owner TEXT NOT NULL, expires REAL NOT NULL,
  PRIMARY KEY (poly, p, seed, alpha, config_hash)
)"""


class JobLike(Protocol):
    text: str
    p: int
    seed: int
    alpha: float


Key = tuple[str, int, int, float, str]


class Claims:
    """The claims one sweep holds in a database, and the queue of batches it may still run.

    ``hashes[p, alpha]`` is the configuration hash of the jobs at prime ``p`` and training
    fraction ``alpha``.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        batches: Iterable[Sequence[Any]],
        hashes: dict[tuple[int, float], str],
        lease: float = LEASE_SECONDS,
    ) -> None:
        self.conn, self.hashes, self.lease = conn, hashes, lease
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.queue: deque[list[Any]] = deque(list(b) for b in batches if b)
        self.waiting: list[list[Any]] = []  # jobs another sweep holds
        with self.conn:
            self.conn.execute(_SCHEMA)

    def key(self, job: JobLike) -> Key:
        return (job.text, job.p, job.seed, job.alpha, self.hashes[job.p, job.alpha])

    def next_batch(self) -> list[Any] | None:
        """Claim and return the next batch (possibly a part of a planned one), or None.

        None means nothing is claimable now; `pending` says whether other sweeps
        still hold jobs of this one.
        """
        while self.queue:
            batch = self.queue.popleft()
            mine, theirs = self._claim(batch)
            if theirs:
                self.waiting.append(theirs)
            if mine:
                return mine
        return None

    def _claim(self, batch: list[Any]) -> tuple[list[Any], list[Any]]:
        now = time.time()
        mine: list[Any] = []
        theirs: list[Any] = []
        self.conn.execute("BEGIN IMMEDIATE")  # one claimer at a time
        try:
            self.conn.execute("DELETE FROM claims WHERE expires < ?", (now,))
            for job in batch:
                key = self.key(job)
                done = self.conn.execute(
                    "SELECT 1 FROM results WHERE poly=? AND p=? AND seed=? "
                    "AND abs(alpha - ?) < 1e-9 AND config_hash=?",
                    key,
                ).fetchone()
                if done:
                    continue
                held = self.conn.execute(
                    "SELECT owner FROM claims WHERE poly=? AND p=? AND seed=? AND alpha=? "
                    "AND config_hash=?",
                    key,
                ).fetchone()
                if held and held[0] != self.owner and _alive(held[0]):
                    theirs.append(job)
                    continue
                self.conn.execute(
                    "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*key, self.owner, now + self.lease),
                )
                mine.append(job)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return mine, theirs

    def retry(self) -> bool:
        """Queue again the jobs other sweeps held; False when there were none.

        `next_batch` then skips those stored meanwhile, leaves those still held,
        and claims those whose lease ran out (their sweep stopped renewing: it died).
        """
        if not self.waiting:
            return False
        self.queue.extend(self.waiting)
        self.waiting = []
        return True

    def keep_alive(self, path: str) -> threading.Event:
        """Renew this sweep's leases every third of the lease, from a daemon thread with its
        own connection, until the returned event is set (or the process dies)."""
        stop = threading.Event()

        def renew() -> None:
            conn = sqlite3.connect(path, timeout=60)
            try:
                while not stop.wait(self.lease / 3):
                    with conn:
                        conn.execute(
                            "UPDATE claims SET expires = ? WHERE owner = ?",
                            (time.time() + self.lease, self.owner),
                        )
            finally:
                conn.close()

        threading.Thread(target=renew, name="polyclass-claims-lease", daemon=True).start()
        return stop

    def _release(self, jobs: Sequence[Any]) -> None:
        with self.conn:
            self.conn.executemany(
                "DELETE FROM claims WHERE poly=? AND p=? AND seed=? AND alpha=? AND config_hash=? "
                "AND owner=?",
                [(*self.key(job), self.owner) for job in jobs],
            )

    def finished(self, jobs: Sequence[Any]) -> None:
        """The jobs' rows are stored: drop their claims."""
        self._release(jobs)

    def release_all(self) -> None:
        """Give back every claim (a sweep that stops early, by error or Ctrl-C)."""
        with self.conn:
            self.conn.execute("DELETE FROM claims WHERE owner = ?", (self.owner,))


def drive(
    claims: Claims,
    submit: Callable[[list[Any]], Any],
    wait: Callable[[list[Any]], list[tuple[Any, list[dict[str, Any]]]]],
    capacity: int,
    store: Any,
    advance: Callable[[int], Any],
) -> None:
    """Claim batches, keep up to ``capacity`` in flight, store results as they arrive.

    When nothing is claimable and nothing is in flight, wait for the jobs other sweeps hold
    (and take over those whose lease ran out) until every job is stored.
    """
    in_flight: dict[Any, list[Any]] = {}
    while True:
        while len(in_flight) < capacity:
            batch = claims.next_batch()
            if batch is None:
                break
            in_flight[submit(batch)] = batch
        if not in_flight:
            if not claims.retry():
                return
            time.sleep(POLL_SECONDS)
            continue
        for handle, rows in wait(list(in_flight)):
            batch = in_flight.pop(handle)
            store.write(rows)  # this process is the only writer of its results
            claims.finished(batch)
            advance(len(batch))


def _alive(owner: str) -> bool:
    """False when the owner of a claim was a process on this machine that has ended.

    Its claims are free at once, so rerunning a killed sweep need not wait for the lease.
    """
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True  # another machine's sweep: only its lease tells
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
