"""What every part of the sampler benchmark (``scripts/bench.py``) shares: its fixed settings and :class:`Row`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_SCRIPT = ROOT / "scripts" / "bench.py"  # its ``--worker`` mode runs one measurement

MIB = 2**20
RATIO = 0.01
SEED = 0
FEATURES = 50
SIZES = (10**3, 10**4, 10**5, 10**6)
QUICK_SIZES = (10**3, 10**4)
SYNTHETIC_METHODS = ("glgan", "glgan_paper", "auto_only", "bagan", "smote")
REFERENCE = "smote"
CTGAN = "ctgan"
# Seconds allowed to a worker beyond the fit itself (interpreter start, imports, data) before it is killed.
SETUP_ALLOWANCE = 180


@dataclass
class Row:
    """One measurement: what was run and what came back (``result["status"]``: ok, timeout, skipped, failed)."""

    kind: str  # "held" or "synthetic"
    dataset: str
    method: str
    n_majority: int | None
    result: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.result.get("status") == "ok"
