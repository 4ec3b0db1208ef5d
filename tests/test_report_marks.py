"""What the paper report marks beside its numbers: samplers that generated no rows, identical columns,
caveats on claims, and the generated summary at the top of results/README.md."""

from __future__ import annotations

import pandas as pd

from glgan.report.claim_caveats import add_caveats
from glgan.report.claims import Claim
from glgan.report.identical import identical_lines, identical_pairs
from glgan.report.lead import head_to_head, lead_lines
from glgan.report.no_rows import no_rows_at, no_rows_lines, no_rows_runs
from glgan.report.records import long_scores, summarize
from glgan.report.tables import render_markdown, table_frame


def _records(method_values: dict[str, list[float]], n_synthetic: dict[str, list[int]] | None = None,
             dataset="usps", seconds: dict[str, float] | None = None) -> pd.DataFrame:
    """One record per (method, seed) for one classifier; every metric takes the same value."""
    rows = []
    for method, values in method_values.items():
        for seed, value in enumerate(values):
            rows.append({"dataset": dataset, "method": method, "ratio": 0.01, "seed": seed, "classifier": "mlp",
                         "macro_f1": value, "micro_f1": value, "mcc": value,
                         "n_synthetic": (n_synthetic or {}).get(method, [5] * len(values))[seed],
                         "sampler_seconds": (seconds or {}).get(method, 0.01)})
    return pd.DataFrame(rows)


def test_runs_without_rows_are_counted_per_cell_and_marked_in_the_table():
    records = _records({"imbalanced": [0.5, 0.6, 0.7], "nras": [0.5, 0.6, 0.8], "smote": [0.6, 0.7, 0.8]},
                       n_synthetic={"imbalanced": [0, 0, 0], "nras": [0, 4, 0]})
    no_rows = no_rows_runs(records)
    assert no_rows_at(no_rows, "usps", "nras") == (2, 3) and no_rows_at(no_rows, "usps", "smote") == (0, 3)
    assert "imbalanced" not in set(no_rows["method"])  # no rows is its definition, not a failure
    assert no_rows_lines(no_rows, "usps") == [
        "**NRAS generated no rows on 2 of 3 seeds** (0, 2): on those seeds its classifiers saw no synthetic row, "
        "as Imbalanced's do; its cells say so."]
    paper = pd.DataFrame(columns=["dataset", "classifier", "metric", "method", "value"])
    table = table_frame(summarize(long_scores(records)), paper, "usps", no_rows=no_rows)
    text = render_markdown(table, [])
    nras_cells = [line for line in text.splitlines() if line.startswith("| MLPClassifier")]
    assert all(line.count("**no rows on 2/3 seeds**") == 1 for line in nras_cells)


def test_identical_columns_are_explained_and_different_ones_are_not_flagged():
    records = _records({"auto_only": [0.5, 0.6], "plain_ae": [0.5, 0.6], "cgan": [0.5, 0.61]})
    scores = long_scores(records)
    assert identical_pairs(scores, "usps", ["auto_only", "plain_ae", "cgan"]) == [("auto_only", "plain_ae")]
    (line,) = identical_lines(scores, "usps", ["auto_only", "plain_ae", "cgan"])
    assert line.startswith("Auto-only and Plain AE give identical scores on every seed") and "Eq. 3.2" in line


def test_claims_say_which_cells_had_no_rows_and_which_verdicts_are_in_sample():
    records = _records({"nras": [0.5, 0.6]}, n_synthetic={"nras": [0, 0]})
    claims = [Claim("glgan_best", "c", "s", "r", verdict="not held"),
              Claim("smote_hybrids", "c", "s", "r", verdict="held"),
              Claim("ablations", "c", "s", "r", verdict="not tested")]
    add_caveats(claims, no_rows_runs(records), {"usps", "gas_drift"})
    best, hybrids, untested = claims
    assert "NRAS (USPS 2/2 seeds)" in best.caveats[0] and "Gas-drift" in best.caveats[1]
    assert len(hybrids.caveats) == 1 and "in-sample" in hybrids.caveats[0]
    assert untested.caveats == []


def test_the_lead_says_whether_glgan_beats_smote_and_at_what_cost():
    records = pd.concat([
        _records({"glgan": [0.7, 0.8], "smote": [0.6, 0.8]}, seconds={"glgan": 6.0, "smote": 0.01}),
        _records({"glgan": [0.2, 0.2], "smote": [0.3, 0.3]}, dataset="madelon",
                 seconds={"glgan": 6.0, "smote": 0.01}),
    ], ignore_index=True)
    summary = summarize(long_scores(records))
    duel = head_to_head(summary, "glgan", "smote")
    assert (duel["wins"], duel["ties"], duel["losses"]) == (1, 0, 1)
    ranks = pd.Series({"glgan": 1.5, "smote": 1.5})
    lines = lead_lines(records, summary, ranks, [Claim("k", "A claim", "s", "r", verdict="held")])
    assert lines[0].startswith("- **GL-GAN does not beat SMOTE here**") and "wins 1, ties 0 and loses 1" in lines[0]
    assert "6.0 s per fit" in lines[2] and "600× SMOTE's" in lines[2]
    assert "A claim: **held**" in lines[3] and "1 of 1 held" in lines[3]
