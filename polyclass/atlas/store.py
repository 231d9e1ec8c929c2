"""SQLite storage of sweep results: one row per (polynomial, p, seed, alpha, config hash).

``alpha`` is the training fraction. It is a column of the key, not part of the
configuration hash, so runs of one recipe at several training fractions share a hash.

The database runs in WAL mode and every batch of results is written in one transaction
with ``INSERT OR IGNORE`` on the unique key, so a sweep killed at any moment (``kill -9``
included) loses at most the batch in flight, never writes a row twice, and finishes the
remaining jobs when run again. Only the sweep's driver process writes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import PolyclassError
from ..training.config import TrainConfig, split_options

SCHEMA_VERSION = 2
#: Seconds a sweep waits for another process holding the database (busy timeout, and
#: retries while a new file is being set up).
LOCK_WAIT_S = 60.0

COLUMNS: tuple[tuple[str, str], ...] = (
    ("poly", "TEXT NOT NULL"),  # canonical expanded text "... mod p"
    ("p", "INTEGER NOT NULL"),
    ("seed", "INTEGER NOT NULL"),
    ("alpha", "REAL NOT NULL"),  # training fraction
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


#: The hyperparameters of the first sweep databases (less the training fraction, which is
#: the row's ``alpha`` since schema 2). One added since enters the hash only when it differs
#: from its default (which must reproduce the earlier behaviour, as ``settle=0`` does), so
#: adding a hyperparameter keeps the rows already stored valid.
HASHED_SINCE_SCHEMA_1 = frozenset(
    (
        "width steps lr weight_decay optimizer betas eps momentum loss "
        "batch_size power init_std seed dtype eval_every grok_threshold early_stop "
        "early_stop_patience on_collapse collapse_tol collapse_patience track_ipr"
    ).split()
)


def config_hash(config: TrainConfig | dict[str, Any]) -> str:
    """Stable short hash of a run's hyperparameters (a `TrainConfig` or its dict).

    Run options (device, progress, checkpoints, ...) are not hyperparameters, so they never
    change the hash; a dict holding one is refused. The training fraction is left out: it
    is the row's ``alpha``.
    """
    cfg = config if isinstance(config, TrainConfig) else TrainConfig.from_dict(config)
    defaults = TrainConfig().to_dict()
    hashed = {
        k: v
        for k, v in cfg.to_dict().items()
        if k != "train_fraction" and (k in HASHED_SINCE_SCHEMA_1 or v != defaults[k])
    }
    return hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()[:16]


class ResultStore:
    """A sweep database (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise PolyclassError(f"database path {self.path} is a folder")
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            self.conn = sqlite3.connect(str(self.path), timeout=LOCK_WAIT_S)
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self._create()
                return
            except sqlite3.DatabaseError as err:
                self.conn.close()
                # Switching a new file to WAL needs an exclusive lock and reports "locked"
                # at once, without the busy timeout, while another sweep sets it up.
                if "locked" in str(err) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise PolyclassError(
                    f"{self.path} is not a polyclass sweep database: {err}"
                ) from None

    def _create(self) -> None:
        with self.conn:
            present = {row[1] for row in self.conn.execute("PRAGMA table_info(results)")}
            if present and "alpha" not in present:
                self._migrate_alpha(present)
            self.conn.execute(_create_sql("results"))
            present = {row[1] for row in self.conn.execute("PRAGMA table_info(results)")}
            for name, kind in COLUMNS:  # databases written by an older polyclass
                if name not in present:
                    self.conn.execute(f"ALTER TABLE results ADD COLUMN {name} {kind.split()[0]}")
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self.conn.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def _migrate_alpha(self, present: set[str]) -> None:
        """Rebuild a schema-1 table with the ``alpha`` column in its key.

        Alpha comes from each row's stored configuration (0.5, the old default, when it has
        none) and the configuration hash is recomputed without the training fraction.
        """
        old = [name for name in ("id", *COLUMN_NAMES, "created") if name in present]
        self.conn.execute(_create_sql("results_migrated"))
        cur = self.conn.execute(f"SELECT {', '.join(old)} FROM results ORDER BY id")
        rows = [dict(zip(old, row, strict=True)) for row in cur]
        for row in rows:
            config = json.loads(row["config"]) if row.get("config") else None
            row["alpha"] = float(config.get("train_fraction", 0.5)) if config else 0.5
            if config:  # old rows stored run options beside the hyperparameters
                row["config_hash"] = config_hash(split_options(config)[0])
        names = [*old, "alpha"]
        self.conn.executemany(
            f"INSERT OR IGNORE INTO results_migrated ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})",
            [tuple(row.get(n) for n in names) for row in rows],
        )
        self.conn.execute("DROP TABLE results")
        self.conn.execute("ALTER TABLE results_migrated RENAME TO results")
        self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self.conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    def done_keys(self, config_hash_: str, alpha: float | None = None) -> set[tuple[str, int, int]]:
        """(poly, p, seed) of the rows already stored for this configuration (and alpha)."""
        sql = "SELECT poly, p, seed FROM results WHERE config_hash = ?"
        args: list[Any] = [config_hash_]
        if alpha is not None:
            sql += " AND abs(alpha - ?) < 1e-9"
            args.append(float(alpha))
        return {(str(a), int(b), int(c)) for a, b, c in self.conn.execute(sql, args)}

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert a batch in one transaction; returns how many rows were new."""
        sql = (
            f"INSERT OR IGNORE INTO results ({', '.join(COLUMN_NAMES)}) "
            f"VALUES ({', '.join('?' for _ in COLUMN_NAMES)})"
        )
        values = [tuple(_with_alpha(row).get(name) for name in COLUMN_NAMES) for row in rows]
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


def _create_sql(table: str) -> str:
    cols = ",\n  ".join(f"{name} {kind}" for name, kind in COLUMNS)
    return f"""CREATE TABLE IF NOT EXISTS {table} (
  id INTEGER PRIMARY KEY,
  {cols},
  created TEXT DEFAULT (datetime('now')),
  UNIQUE (poly, p, seed, alpha, config_hash)
)"""


def _with_alpha(row: dict[str, Any]) -> dict[str, Any]:
    """The row with ``alpha`` filled in from its configuration (default 0.5) when missing."""
    if row.get("alpha") is not None:
        return row
    config = row.get("config")
    if isinstance(config, str) and config:
        config = json.loads(config)
    alpha = config.get("train_fraction", 0.5) if isinstance(config, dict) else 0.5
    return {**row, "alpha": float(alpha)}
