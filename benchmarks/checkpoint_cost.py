"""What one signed checkpoint costs on a long custody log: stored Merkle frontier vs. a rebuild.

Every transaction that appends custody entries signs a checkpoint over the
whole log. A new process signs its first from the stored frontier
(``custody_frontier``), reading only the entries after it; the baseline
deletes the row first, so the frontier is rebuilt from every entry hash, as
every checkpoint did before the frontier was stored. Prints a table and
writes benchmarks/results/checkpoint_cost.json.

    python benchmarks/checkpoint_cost.py [--entries 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from dossier.config import Settings
from dossier.store import custody_log
from dossier.store.database import Store

HERE = Path(__file__).resolve().parent


def first_checkpoint_ms(home: Path, *, rebuild: bool, repeat: int) -> float:
    """The fastest of ``repeat`` first signed transactions of a new process, in ms."""
    best = float("inf")
    for _ in range(repeat):
        store = Store.open(Settings(home=home, actor="bench"), create=False)
        if rebuild:
            with store.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM custody_frontier")
        start = time.perf_counter()
        with store.transaction() as conn:
            custody_log.append(conn, "bench", "note", "one more", None)
        best = min(best, (time.perf_counter() - start) * 1000)
        store.engine.dispose()
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "results" / "checkpoint_cost.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        store = Store.open(Settings(home=home, actor="bench"))
        with store.transaction() as conn:
            for i in range(args.entries):
                custody_log.append(conn, "bench", "note", f"obj-{i}", None)
        store.engine.dispose()
        stored = first_checkpoint_ms(home, rebuild=False, repeat=args.repeat)
        rebuilt = first_checkpoint_ms(home, rebuild=True, repeat=args.repeat)
    print(f"custody log of {args.entries} entries: first signed transaction of a new process")
    print(f"{'frontier':<24}{'ms':>10}")
    print(f"{'stored (Dossier)':<24}{stored:>10.1f}")
    print(f"{'rebuilt (baseline)':<24}{rebuilt:>10.1f}")
    result = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
        "entries": args.entries,
        "stored_ms": round(stored, 1),
        "rebuilt_ms": round(rebuilt, 1),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
