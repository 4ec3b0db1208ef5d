"""Distance to the paper: counting, standard errors, reasons that name their cells and state checked facts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from glgan.report.labels import CLASSIFIERS, METRICS
from glgan.report.no_rows import NO_ROWS_COLUMNS
from glgan.report.paper_gap import (
    BASELINES,
    REASONS_YAML,
    baseline_gaps,
    gap_markdown,
    load_reasons,
    share_text,
    target_line,
)

ALL = "methods: [imbalanced, random, smote, mdo, nras, swim, bagan], classifiers: [mlp, linear_svc, adaboost], " \
      "metrics: [macro_f1, micro_f1, mcc]"


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


def _no_rows(dataset, method, k, n=10):
    return pd.DataFrame([[dataset, method, 0.01, k, n, list(range(k))]], columns=NO_ROWS_COLUMNS)


def test_counts_standard_errors_and_verdicts_of_reasons(tmp_path):
    summ, paper = _summary_and_paper({("swim", "mlp", "mcc"): 0.2, ("mdo", "adaboost", "mcc"): -0.06,
                                      ("nras", "mlp", "mcc"): 0.3, ("smote", "mlp", "mcc"): 0.05})
    reasons = load_reasons(_write(tmp_path, (
        "- {dataset: usps, methods: [swim], classifiers: [mlp], metrics: [mcc], reason: no facts}\n"
        "- {dataset: usps, methods: [mdo], classifiers: [adaboost], metrics: [mcc], reason: true fact,"
        "   facts: [{abs_se_at_most: 2}]}\n"
        "- {dataset: usps, methods: [nras], classifiers: [mlp], metrics: [mcc], reason: false fact,"
        "   facts: [{no_rows_on_seeds: 3}]}\n")))
    gaps = baseline_gaps(summ, paper, ["usps"], reasons, no_rows=_no_rows("usps", "nras", 7))
    assert len(gaps) == len(BASELINES) * 9
    misses = gaps[~gaps["within"]].set_index("method")
    assert set(misses.index) == {"swim", "mdo", "nras"}  # exactly 0.05 counts as within
    assert misses.at["swim", "verdict"] == "plausible" and misses.at["mdo", "verdict"] == "verified"
    assert misses.at["nras", "verdict"] == "WRONG" and "no rows on 7 of 10 seeds" in misses.at["nras", "facts"]
    assert misses.at["swim", "diff_se"] == pytest.approx(0.2 / (0.1 * np.sqrt(2 / 10)))
    assert (gaps.loc[gaps["within"], "reason"] == "").all()
    line = target_line(gaps, {"usps": True})
    assert f"{len(gaps) - 3} of {len(gaps)}" in line and "**met**" in line
    assert "1 have a verified reason" in line and "1 a plausible one" in line and "1 a reason the records " \
        "contradict (WRONG)" in line
    text = gap_markdown(gaps, {"usps": True}, "paper", header="", reasons=reasons)
    assert "**WRONG**: no_rows_on_seeds: 3 ✗" in text and "NRAS (7/10 seeds without rows)" in text


def test_a_constant_cell_has_no_standard_error_even_with_float_noise():
    summ, paper = _summary_and_paper({("mdo", "mlp", "macro_f1"): -0.12})
    noisy = (summ["method"] == "mdo") & (summ["classifier"] == "mlp") & (summ["metric"] == "macro_f1")
    summ.loc[noisy, "std"] = 5.85e-17  # what np.std gives for ten copies of 1/3
    gaps = baseline_gaps(summ, paper, ["usps"], reasons=[])
    row = gaps[(gaps["method"] == "mdo") & (gaps["classifier"] == "mlp") & (gaps["metric"] == "macro_f1")]
    assert np.isnan(row["diff_se"].iloc[0])
    assert "| — |" in gap_markdown(gaps, {"usps": True}, "paper", header="")
    assert gaps["diff_se"].abs().max() < 1e6


def test_shares_are_rounded_not_truncated():
    assert share_text(126, 189) == "126 of 189 (67 %)" and share_text(125, 189) == "125 of 189 (66 %)"
    assert share_text(1, 2) == "1 of 2 (50 %)" and share_text(0, 0) == "—"


def test_a_group_reason_is_wrong_when_its_fact_fails_on_one_cell(tmp_path):
    summ, paper = _summary_and_paper({(m, "mlp", "mcc"): 0.3 for m in BASELINES}, dataset="gas_drift")
    reasons = load_reasons(_write(tmp_path, f"- {{dataset: gas_drift, {ALL}, facts: [partial_data], reason: x}}\n"))
    partial = baseline_gaps(summ, paper, ["gas_drift"], reasons, complete={"gas_drift": False})
    assert set(partial.loc[~partial["within"], "verdict"]) == {"verified"}
    complete = baseline_gaps(summ, paper, ["gas_drift"], reasons, complete={"gas_drift": True})
    assert set(complete.loc[~complete["within"], "verdict"]) == {"WRONG"}


def test_partial_datasets_are_shown_but_not_counted_and_unexplained_misses_are_named():
    summ, paper = _summary_and_paper({(m, "mlp", "mcc"): 0.3 for m in BASELINES}, dataset="gas_drift")
    gaps = baseline_gaps(summ, paper, ["gas_drift"], reasons=[])
    assert "not evaluated" in target_line(gaps, {"gas_drift": False})
    text = gap_markdown(gaps, {"gas_drift": False}, "paper", header="")
    assert "partial (not counted)" in text and text.count("**no reason written**") == len(BASELINES)


def test_missed_target_is_reported_as_missed():
    summ, paper = _summary_and_paper({(m, c, "mcc"): -0.1 for m in BASELINES for c in CLASSIFIERS})
    gaps = baseline_gaps(summ, paper, ["usps"], reasons=[])
    line = target_line(gaps, {"usps": True})
    assert "**missed**" in line and "42 of 63" in line and "21 none" in line


CELLS = "methods: [swim], classifiers: [mlp], metrics: [mcc]"


@pytest.mark.parametrize("text, message", [
    (f"- {{dataset: usps, method: [swim], {CELLS}, reason: x}}\n", "unknown key"),
    ("- {dataset: usps, methods: [swimm], classifiers: [mlp], metrics: [mcc], reason: x}\n", "unknown or empty methods"),
    ("- {dataset: usps, methods: [swim], classifiers: [mlp], reason: x}\n", "'metrics' is required"),
    (f"- {{dataset: uspss, {CELLS}, reason: x}}\n", "unknown dataset"),
    ("- {dataset: usps}\n", "needs 'dataset' and 'reason'"),
    ("dataset: usps\n", "expected a list"),
    (f"- {{dataset: usps, {CELLS}, facts: [no_rows_on_seed], reason: x}}\n", "unknown fact 'no_rows_on_seed'"),
    (f"- {{dataset: usps, {CELLS}, facts: [{{no_rows_on_seeds: some}}], reason: x}}\n", "an integer or all"),
    (f"- {{dataset: usps, {CELLS}, facts: [{{abs_se_at_most: 2}}], reason: x}}\n"
     f"- {{dataset: usps, {CELLS}, reason: y}}\n", "already named by entry 0"),
])
def test_malformed_reasons_are_rejected_with_what_to_fix(tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        load_reasons(_write(tmp_path, text))


def test_the_committed_reasons_hold_on_the_committed_records():
    """Every miss of the committed store has a reason, and no stated fact is contradicted by the records."""
    from glgan.report.make import PAPER_CSV
    from glgan.report.no_rows import no_rows_runs
    from glgan.report.records import load_paper, load_records, long_scores, summarize

    records = load_records(REASONS_YAML.parents[1] / "runs" / "paper")
    if records.empty:
        pytest.skip("no committed records")
    complete = {d: set(records.loc[records["dataset"] == d, "data_variant"]) == {"complete"}
                for d in set(records["dataset"])}
    n_test = records.groupby("dataset")["n_test"].first().astype(int).to_dict()
    gaps = baseline_gaps(summarize(long_scores(records)), load_paper(PAPER_CSV), sorted(complete),
                         load_reasons(REASONS_YAML), no_rows=no_rows_runs(records), n_test=n_test, complete=complete)
    misses = gaps[~gaps["within"]]
    bad = misses[misses["verdict"].isin(["WRONG", "none"])]
    assert bad.empty, "reasons contradicted by the records or missing:\n" + bad[
        ["dataset", "classifier", "metric", "method", "verdict", "facts"]].to_string()
