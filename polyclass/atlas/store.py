"""SQLite storage of sweep results: one row per (polynomial, p, seed, config hash).

The database runs in WAL mode and every batch of results is written in one transaction
with ``INSERT OR IGNORE`` on the unique key, so a sweep killed at any moment (``kill -9``
included) loses at most the batch in flight, never writes a row twice, and finishes the
remaining jobs when run again. Only the sweep's driver process writes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import PolyclassError
from ..training.config import TrainConfig

SCHEMA_VERSION = 1

COLUMNS: tuple[tuple[str, str], ...] = (
    ("poly", "TEXT NOT NULL"),  # canonical expanded text "... mod p"
    ("p", "INTEGER NOT NULL"),
    ("seed", "INTEGER NOT NULL"),
    ("config_hash", "TEXT NOT NULL"),
    ("family", "TEXT"),
    ("typed", "TEXT"),  # the polynomial as enumerated
    ("variables", "TEXT"),  # comma-separated, in order
    ("decomposition_form", "TEXT"),
    ("predicted", "INTEGER"),  # 1 learnable, 0 not, NULL undetermined
    ("verdict_form", "TEXT"),
    ("score", "REAL"),
    ("certificate", "TEXT"),  # kind of the classifier's certificate
    ("reason", "TEXT"),
    ("observed_test_accuracy", "REAL"),
    ("observed_train_accuracy", "REAL"),
    ("chance", "REAL"),
    ("grok_threshold", "REAL"),
    ("grokked_at", "INTEGER"),
    ("memorised_at", "INTEGER"),
    ("collapsed_at", "INTEGER"),
    ("steps_run", "INTEGER"),
    ("classify_s", "REAL"),
    ("train_s", "REAL"),
    ("config", "TEXT"),
    ("version", "TEXT"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)


def config_hash(config: TrainConfig | dict[str, Any]) -> str:
    """Stable short hash of a run's hyperparameters (a :class:`TrainConfig` or its dict).

    Run options (device, progress, checkpoints, ...) are not hyperparameters, so they never
    change the hash; a dict holding one is refused.
    """
    cfg = config if isinstance(config, TrainConfig) else TrainConfig.from_dict(config)
    return hashlib.sha256(json.dumps(cfg.to_dict(), sort_keys=True).encode()).hexdigest()[:16]


class ResultStore:
    """A sweep database (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise PolyclassError(f"database path {self.path} is a folder")
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=60)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._create()
        except sqlite3.DatabaseError as err:
            raise PolyclassError(f"{self.path} is not a polyclass sweep database: {err}") from None

    def _create(self) -> None:
        cols = ",\n  ".join(f"{name} {kind}" for name, kind in COLUMNS)
        with self.conn:
            self.conn.execute(
                f"""CREATE TABLE IF NOT EXISTS results (
  id INTEGER PRIMARY KEY,
  {cols},
  created TEXT DEFAULT (datetime('now')),
  UNIQUE (poly, p, seed, config_hash)
)"""
            )
            present = {row[1] for row in self.conn.execute("PRAGMA table_info(results)")}
            for name, kind in COLUMNS:  # databases written by an older polyclass
                if name not in present:
                    self.conn.execute(f"ALTER TABLE results ADD COLUMN {name} {kind.split()[0]}")
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self.conn.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def done_keys(self, config_hash_: str) -> set[tuple[str, int, int]]:
        """(poly, p, seed) of the rows already stored for this configuration."""
        rows = self.conn.execute(
            "SELECT poly, p, seed FROM results WHERE config_hash = ?", (config_hash_,)
        )
        return {(str(a), int(b), int(c)) for a, b, c in rows}

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert a batch in one transaction; returns how many rows were new."""
        sql = (
            f"INSERT OR IGNORE INTO results ({', '.join(COLUMN_NAMES)}) "
            f"VALUES ({', '.join('?' for _ in COLUMN_NAMES)})"
        )
        values = [tuple(row.get(name) for name in COLUMN_NAMES) for row in rows]
        with self.conn:
            before = self.conn.total_changes
            self.conn.executemany(sql, values)
            return self.conn.total_changes - before

    def update_verdict(self, poly: str, columns: dict[str, Any]) -> None:
        """Replace the classifier's columns of every row of one polynomial."""
        names = [name for name in columns if name in COLUMN_NAMES]
        with self.conn:
            self.conn.execute(
                f"UPDATE results SET {', '.join(f'{n} = ?' for n in names)} WHERE poly = ?",
                [*(columns[n] for n in names), poly],
            )

    def rows(self, columns: Sequence[str] = COLUMN_NAMES) -> list[dict[str, Any]]:
        """Every stored row as a dict, in insertion order."""
        unknown = set(columns) - set(COLUMN_NAMES) - {"id", "created"}
        if unknown:
            raise PolyclassError(f"unknown column(s) {sorted(unknown)}")
        cur = self.conn.execute(f"SELECT {', '.join(columns)} FROM results ORDER BY id")
        return [dict(zip(columns, row, strict=True)) for row in cur]

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
