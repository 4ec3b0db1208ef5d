"""scripts/compare_stores.py: cells of the same configuration compared metric by metric."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compare_stores.py"


def _store(root: Path, mcc_adaboost: float) -> Path:
    records = [{"dataset": "usps", "method": "smote", "ratio": 0.01, "seed": 0, "classifier": c, "config_hash": "abc",
                "mcc": m, "macro_f1": 0.5, "micro_f1": 0.5, "git_commit": "1234567"}
               for c, m in (("mlp", 0.8), ("adaboost", mcc_adaboost))]
    path = root / "usps" / "smote" / "r0.01" / "seed0-abc.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"records": records}))
    return root


def _compare(old: Path, new: Path) -> str:
    return subprocess.run([sys.executable, str(SCRIPT), str(old), str(new)], capture_output=True, text=True,
                          check=True).stdout


def test_identical_and_differing_cells_are_counted(tmp_path):
    old = _store(tmp_path / "old", 0.6)
    assert "identical mcc, macro_f1, micro_f1: 2 of 2" in _compare(old, _store(tmp_path / "same", 0.6))
    report = _compare(old, _store(tmp_path / "moved", 0.65))
    assert "identical mcc, macro_f1, micro_f1: 1 of 2" in report
    assert "differing by classifier: adaboost 1" in report
    assert "median 0.0500, max 0.0500" in report
