"""Compare two results stores record by record: which (dataset, method, ratio, seed, classifier) cells of the
same configuration hash give identical metrics, and where the others differ.

    python scripts/compare_stores.py OLD NEW
    git archive ab46c31 results/runs/paper | tar -x -C /tmp/old   # a committed store of another revision
    python scripts/compare_stores.py /tmp/old/results/runs/paper results/runs/paper

Used for the determinism statements of docs/REPRODUCTION.md §11 (same machine, another machine).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
from pathlib import Path

METRICS = ("mcc", "macro_f1", "micro_f1")


def load(root: Path) -> dict[tuple, dict]:
    """Every classifier record under ``root``, keyed by (dataset, method, ratio, seed or fold, classifier)."""
    out = {}
    for path in sorted(root.rglob("*.json")):
        for r in json.loads(path.read_text())["records"]:
            cell = r.get("seed", r.get("fold"))
            out[r["dataset"], r["method"], r.get("ratio"), r.get("repeat"), cell, r["classifier"]] = r
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    old, new = load(args.old), load(args.new)
    common = [k for k in new if k in old and old[k]["config_hash"] == new[k]["config_hash"]]
    differ = [k for k in common if any(old[k][m] != new[k][m] for m in METRICS if m in new[k])]
    print(f"records: old {len(old)}, new {len(new)}, same configuration hash {len(common)}")
    print(f"identical {', '.join(METRICS)}: {len(common) - len(differ)} of {len(common)}")
    if not differ:
        return
    for name, index in (("method", 1), ("classifier", 5)):
        counts = collections.Counter(k[index] for k in differ)
        print(f"differing by {name}: " + ", ".join(f"{key} {n}" for key, n in counts.most_common()))
    commits = collections.Counter(str(old[k].get("git_commit"))[:7] for k in common)
    differing = collections.Counter(str(old[k].get("git_commit"))[:7] for k in differ)
    print("old records by commit (differing / all): "
          + ", ".join(f"{c} {differing.get(c, 0)}/{n}" for c, n in commits.most_common()))
    gaps = [abs(old[k]["mcc"] - new[k]["mcc"]) for k in differ]
    print(f"|MCC difference| where they differ: median {statistics.median(gaps):.4f}, max {max(gaps):.4f}")


if __name__ == "__main__":
    main()
