"""The issue-15 distance-to-the-paper report: counting, standard errors, reasons and their validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from glgan.report.labels import CLASSIFIERS, METRICS
from glgan.report.paper_gap import (
    BASELINES,
    REASONS_YAML,
    baseline_gaps,
    gap_markdown,
    load_reasons,
    target_line,
)


def _summary_and_paper(offsets: dict[tuple[str, str, str], float], dataset="usps", std=0.1, n=10):
    """Every baseline cell at r = 0.01 with mean 0.5 + offset and the paper at 0.5."""
    rows, paper = [], []
    for c in CLASSIFIERS:
        for k in METRICS:
            for m in BASELINES:
                rows.append({"dataset": dataset, "ratio": 0.01, "method": m, "classifier": c, "metric": k,
                             "mean": 0.5 + offsets.get((m, c, k), 0.0), "std": std, "n_seeds": n})
                paper.append({"dataset": dataset, "classifier": c, "metric": k, "method": m, "value": 0.5})
    return pd.DataFrame(rows), pd.DataFrame(paper)


def _write(tmp_path, text):
    path = tmp_path / "reasons.yaml"
    path.write_text(text)
    return path


def test_counts_standard_errors_and_first_matching_reason(tmp_path):
    summ, paper = _summary_and_paper({("swim", "mlp", "mcc"): 0.2, ("mdo", "adaboost", "mcc"): -0.06,
                                      ("smote", "mlp", "mcc"): 0.05})
    reasons = load_reasons(_write(tmp_path, "- {dataset: usps, methods: [swim], reason: first}\n"
                                            "- {dataset: usps, reason: catch-all}\n"
                                            "- {dataset: usps, methods: [swim], reason: never reached}\n"))
    gaps = baseline_gaps(summ, paper, ["usps"], reasons)
    assert len(gaps) == len(BASELINES) * 9
    misses = gaps[~gaps["within"]].set_index("method")
    assert set(misses.index) == {"swim", "mdo"}  # exactly 0.05 counts as within
    assert misses.at["swim", "reason"] == "first" and misses.at["mdo", "reason"] == "catch-all"
    assert misses.at["swim", "diff_se"] == pytest.approx(0.2 / (0.1 * np.sqrt(2 / 10)))
    assert (gaps.loc[gaps["within"], "reason"] == "").all()
    line = target_line(gaps, {"usps": True})
    assert f"{len(gaps) - 2} of {len(gaps)}" in line and "**met**" in line and "2 of 2" in line


def test_partial_datasets_are_shown_but_not_counted_and_unexplained_misses_are_named():
    summ, paper = _summary_and_paper({(m, "mlp", "mcc"): 0.3 for m in BASELINES}, dataset="gas_drift")
    gaps = baseline_gaps(summ, paper, ["gas_drift"], reasons=[])
    assert "not evaluated" in target_line(gaps, {"gas_drift": False})
    text = gap_markdown(gaps, {"gas_drift": False}, "paper", header="")
    assert "partial (not counted)" in text and text.count("**no reason written**") == len(BASELINES)


def test_missed_target_is_reported_as_missed():
    summ, paper = _summary_and_paper({(m, c, "mcc"): -0.1 for m in BASELINES for c in CLASSIFIERS})
    gaps = baseline_gaps(summ, paper, ["usps"], reasons=[])
    assert "**missed**" in target_line(gaps, {"usps": True}) and "0 of 21" in target_line(gaps, {"usps": True})


@pytest.mark.parametrize("text, message", [
    ("- {dataset: usps, method: [swim], reason: x}\n", "unknown key"),
    ("- {dataset: usps, methods: [swimm], reason: x}\n", "unknown methods"),
    ("- {dataset: uspss, reason: x}\n", "unknown dataset"),
    ("- {dataset: usps}\n", "needs 'dataset' and 'reason'"),
    ("dataset: usps\n", "expected a list"),
])
def test_malformed_reasons_are_rejected_with_what_to_fix(tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        load_reasons(_write(tmp_path, text))


def test_the_committed_reasons_file_loads():
    reasons = load_reasons(REASONS_YAML)
    assert reasons and all(r.reason for r in reasons)
