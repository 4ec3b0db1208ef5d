"""Tables, statistics, claims, interleaving, the placeholder for a figure whose data is not held, and report
determinism on a small synthetic results store."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from glgan.experiment.held import DataStatus, _one_line
from glgan.experiment.interleaving import added_rows, nearest_real
from glgan.experiment.plan import load_plan
from glgan.experiment.store import ResultStore, RunKey
from glgan.report import claims, figures, stats
from glgan.report.labels import CLASSIFIERS, METRICS, TABLE_METHODS
from glgan.report.make import make_report
from glgan.report.records import load_paper, long_scores, summarize
from glgan.report.tables import table_frame

METHODS = (*TABLE_METHODS, "auto_only", "cgan", "plain_ae")
QUALITY = {m: 0.5 + 0.03 * i for i, m in enumerate(METHODS)}  # glgan (index 7) beats the 7 before it
QUALITY.update({"auto_only": 0.6, "cgan": 0.55, "plain_ae": 0.58})


def _record(dataset, method, ratio, seed, classifier, rng):
    base = QUALITY[method] + 0.2 * ratio + 0.05 * CLASSIFIERS.index(classifier)
    scores = {m: float(np.clip(base + rng.normal(0, 0.01) - 0.1 * (m == "mcc"), -1, 1)) for m in METRICS}
    return {"dataset": dataset, "method": method, "ratio": ratio, "seed": seed, "classifier": classifier,
            **scores, "data_variant": "complete" if dataset == "usps" else "partial: batches 1-6,8,9 of 10",
            "data_source": f"{dataset} test fixture", "experiment": "quick", "config_hash": "abc",
            "git_commit": "deadbeef", "finished_at": f"2026-01-0{seed + 1}T00:00:00+00:00"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    rng = np.random.default_rng(0)
    store = ResultStore(root / "quick")
    cells = [(d, m, 0.01) for d in ("usps", "gas_drift") for m in METHODS]
    cells += [("usps", m, r) for m in ("auto_only", "cgan", "glgan", "smote") for r in (0.05, 0.2)]
    for dataset, method, ratio in cells:
        for seed in range(5):
            records = [_record(dataset, method, ratio, seed, c, rng) for c in CLASSIFIERS]
            store.write(RunKey(dataset, method, ratio, seed, "abc"), records)
    return root


@pytest.fixture(scope="module")
def paper():
    return load_paper("results/paper/paper_tables.csv")


def _raw(root, dataset, method, classifier, metric, ratio=0.01):
    values = []
    for path in sorted((root / "quick" / dataset / method / f"r{ratio:g}").glob("seed*.json")):
        for record in json.loads(path.read_text())["records"]:
            if record["classifier"] == classifier:
                values.append(record[metric])
    return np.array(values)


def test_table_means_and_stds_match_the_raw_records(store, paper):
    summary = summarize(long_scores(ResultStore(store / "quick").load()))
    table = table_frame(summary, paper, "usps")
    assert len(table) == len(CLASSIFIERS) * len(METRICS) * len(TABLE_METHODS)
    for _, row in table.iterrows():
        raw = _raw(store, "usps", row.method, row.classifier, row.metric)
        assert row.n_seeds == len(raw) == 5
        assert row["mean"] == pytest.approx(raw.mean(), abs=1e-12)
        assert row["std"] == pytest.approx(raw.std(ddof=1), abs=1e-12)
        expected_paper = paper.query("dataset == 'usps' and classifier == @row.classifier and "
                                     "metric == @row.metric and method == @row.method")["value"].item()
        assert row.paper == expected_paper
        assert row["diff"] == pytest.approx(row["mean"] - expected_paper)


def test_best_marks_the_row_maximum_as_printed_with_ties(paper):
    rows = [{"dataset": "usps", "classifier": c, "metric": m, "method": meth, "ratio": 0.01,
             "mean": 0.5, "std": 0.0, "n_seeds": 2} for c in CLASSIFIERS for m in METRICS for meth in TABLE_METHODS]
    summary = pd.DataFrame(rows)
    summary.loc[(summary.method == "smote") & (summary.metric == "mcc"), "mean"] = 0.70001
    summary.loc[(summary.method == "mdo") & (summary.metric == "mcc"), "mean"] = 0.69999  # 0.7000 as printed
    summary = summary[~((summary.method == "swim") & (summary.classifier == "mlp"))]  # a missing method
    table = table_frame(summary, paper, "usps")
    mcc = table[table.metric == "mcc"]
    assert set(mcc.loc[mcc.best, "method"]) == {"smote", "mdo"}
    f1 = table[table.metric == "macro_f1"]
    swim = f1[(f1.method == "swim") & (f1.classifier == "mlp")].iloc[0]
    assert swim.n_seeds == 0 and math.isnan(swim["mean"]) and not swim.best
    assert f1.groupby("classifier")["best"].sum().to_dict() == {"adaboost": 8, "linear_svc": 8, "mlp": 7}  # all tied
    paper_best = table[(table.classifier == "mlp") & (table.metric == "mcc") & table.paper_best]
    assert list(paper_best.method) == ["glgan"]  # Table 2: GL-GAN's MLP MCC 0.7990 is the paper's best


def test_wilcoxon_pair_known_values_and_zero_differences():
    exact = stats.wilcoxon_pair([1, 2, 3, 4, 5], [0, 0, 0, 0, 0])
    assert exact["p_value"] == pytest.approx(0.0625) and exact["wins"] == 5 and exact["n_nonzero"] == 5
    same = stats.wilcoxon_pair([0.3, 0.4], [0.3, 0.4])
    assert same["p_value"] == 1.0 and same["n_nonzero"] == 0 and math.isnan(same["statistic"])
    with_zero = stats.wilcoxon_pair([1, 2, 3, 4, 0.5], [0, 0, 0, 0, 0.5])  # one zero difference is dropped
    assert with_zero["n_nonzero"] == 4 and with_zero["p_value"] == pytest.approx(0.125)
    assert stats.holm([0.01, 0.04, np.nan, 0.03]).tolist()[:2] == pytest.approx([0.03, 0.06])


def test_wilcoxon_table_pairs_by_seed(store):
    scores = long_scores(ResultStore(store / "quick").load())
    table = stats.wilcoxon_table(scores[np.isclose(scores.ratio, 0.01)])
    assert set(table.method) == set(METHODS) - {"glgan"}
    assert (table.n_pairs == 5).all()
    assert (table[table.method == "imbalanced"].mean_diff > 0).all()  # constructed: GL-GAN is better
    assert table.p_value.min() == pytest.approx(0.0625)  # 5 wins out of 5: the smallest exact p


def test_friedman_and_nemenyi_against_references():
    rng = np.random.default_rng(1)
    means = pd.DataFrame(rng.random((12, 4)), columns=list("abcd"))
    ours = stats.friedman(means)
    reference = sps.friedmanchisquare(*means.to_numpy().T)
    assert ours["chi2"] == pytest.approx(reference.statistic) and ours["p_value"] == pytest.approx(reference.pvalue)
    ranks = stats.rank_matrix(pd.DataFrame([[0.9, 0.5, 0.5]], columns=list("xyz")))
    assert ranks.iloc[0].tolist() == [1.0, 2.5, 2.5]
    # Demšar (2006) Table 5a: q_0.05 = 2.569 (k = 4), 3.031 (k = 8)
    assert stats.nemenyi_cd(4, 1) == pytest.approx(2.569 * math.sqrt(4 * 5 / 6), abs=1e-3)
    assert stats.nemenyi_cd(8, 30) == pytest.approx(3.031 * math.sqrt(8 * 9 / 180), abs=1e-3)


def _cells(values: dict[str, float], n_cells: int = 4) -> pd.DataFrame:
    rows = [{"dataset": "usps", "classifier": c, "metric": "mcc", "method": m, "ratio": 0.01, "mean": v + 0.001 * i}
            for i, c in enumerate(["mlp", "linear_svc", "adaboost", "x"][:n_cells]) for m, v in values.items()]
    return pd.DataFrame(rows)


def test_claim_rules_on_constructed_cells(paper):
    good = {m: 0.5 + 0.01 * i for i, m in enumerate(TABLE_METHODS)} | {"auto_only": 0.5, "cgan": 0.5}
    found = {c.key: c for c in claims.evaluate(_cells(good), paper, pd.DataFrame(), pd.DataFrame(), None)}
    assert found["oversampling"].verdict == claims.HELD
    assert found["glgan_best"].verdict == claims.HELD
    assert found["ablations"].verdict == claims.HELD
    mixed = good | {"cgan": 0.6}  # GL-GAN (0.57) above Auto-only, below cGAN
    found = {c.key: c for c in claims.evaluate(_cells(mixed), paper, pd.DataFrame(), pd.DataFrame(), None)}
    assert found["ablations"].verdict == claims.PARTLY
    bad = {m: 0.9 - 0.01 * i for i, m in enumerate(TABLE_METHODS)} | {"auto_only": 0.95, "cgan": 0.95}
    found = {c.key: c for c in claims.evaluate(_cells(bad), paper, pd.DataFrame(), pd.DataFrame(), None)}
    assert found["oversampling"].verdict == claims.NOT_HELD
    assert found["glgan_best"].verdict == claims.NOT_HELD
    assert found["ablations"].verdict == claims.NOT_HELD
    assert found["clustering_loss"].verdict == claims.NOT_TESTED
    assert found["smote_hybrids"].verdict == claims.NOT_TESTED


def test_hybrid_and_clustering_claims_from_interleaving(paper):
    def row(method, share):
        return {"dataset": "mnist", "method": method, "share_majority_nn": share, "mean_dist_minority": 1.0,
                "real_share_majority_nn": 0.2, "real_mean_dist_minority": 2.0}

    inter = pd.DataFrame([row("smote", 0.3), row("glgan", 0.1), row("auto_only", 0.1), row("plain_ae", 0.4)])
    summary = _cells({"auto_only": 0.8, "plain_ae": 0.7})
    found = {c.key: c for c in claims.evaluate(summary, paper, inter, pd.DataFrame(), None)}
    assert found["smote_hybrids"].verdict == claims.HELD
    assert found["clustering_loss"].verdict == claims.HELD
    inter.loc[inter.method == "smote", "share_majority_nn"] = 0.05  # below real 7s and below GL-GAN
    found = {c.key: c for c in claims.evaluate(summary, paper, inter, pd.DataFrame(), None)}
    assert found["smote_hybrids"].verdict == claims.NOT_HELD


def test_added_rows_appended_and_nras_style():
    X = np.arange(12, dtype=float).reshape(6, 2)
    y = np.array([0, 0, 0, 0, 1, 1])
    new = np.array([[100.0, 100.0], [200.0, 200.0]])
    X_new, y_new = added_rows(X, y, np.vstack([X, new]), np.r_[y, 1, 1])
    assert X_new.tolist() == new.tolist() and y_new.tolist() == [1, 1]
    dropped = np.vstack([X[:5], new])  # NRAS-like: an original minority row removed
    X_new, _ = added_rows(X, y, dropped, np.r_[y[:5], 1, 1])
    assert X_new.tolist() == new.tolist()


def test_nearest_real_share_and_distance():
    X = np.array([[0.0], [1.0], [10.0]])
    y = np.array([0, 0, 1])
    out = nearest_real(X, y, np.array([[0.4], [9.0]]))
    assert out["share_majority_nn"] == 0.5
    assert out["mean_dist_minority"] == pytest.approx((9.6 + 1.0) / 2)


def test_missing_data_message_is_one_line(tmp_path):
    message = (f"Dataset 'gisette': data file(s) missing under {tmp_path}:\n  - {tmp_path}/gisette/gisette.mat\n"
               "      from https://example.org/gisette.mat\nPut the file(s) ...\n  - "
               f"{tmp_path}/gisette/GISETTE/x.data\n      from https://example.org/x.data")
    line = _one_line(message, tmp_path)
    assert "\n" not in line and "<data>/gisette/gisette.mat" in line and "https://example.org/gisette.mat" in line
    assert str(tmp_path) not in line and "+1 more" in line


def test_figure_placeholder_says_the_data_is_not_held(tmp_path):
    fig = figures.data_not_held_figure("gisette", 3, "gisette: SKIPPED, not held: missing <data>/gisette/x")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[0] == "Gisette data not held here" and "Figure 3 is not reproduced" in texts[1]
    assert "missing <data>/gisette/x" in texts[2]
    columns = ["dataset", "classifier", "metric", "method", "ratio", "mean", "std", "n_seeds"]
    paths = figures.mcc_vs_r(pd.DataFrame(columns=columns), "gisette", 3, ["glgan"], tmp_path / "fig3",
                             experiment="paper", missing_reason="not held", data_held=False)
    assert [p.suffix for p in paths] == [".png", ".pdf"] and all(p.stat().st_size > 1000 for p in paths)


def test_plan_from_experiment_configs():
    quick, paper = load_plan("quick"), load_plan("paper")
    assert len(paper.seeds) == 10 and len(quick.seeds) == 2
    assert set(TABLE_METHODS) | {"auto_only", "cgan"} <= set(paper.methods)
    small = quick.restrict(datasets=["usps"], methods=["smote"], seeds=1, ratios=[0.01, 0.1])
    assert small.datasets == ("usps",) and small.figure_methods == ("smote",) and small.seeds == (0,)


def test_report_is_complete_and_deterministic(store, tmp_path):
    plan = load_plan("quick").restrict(datasets=["usps", "gas_drift", "sensorless", "gisette", "madelon"])
    statuses = {name: DataStatus(name, False, False, f"{name}: SKIPPED, not held: missing <data>/{name}/x")
                for name in ("sensorless", "gisette", "madelon", "mnist")}
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        make_report(plan, store, out, samplers=False, statuses=statuses, cache_dir=tmp_path / "cache")
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    files = {str(p) for p in outputs[0]}
    for stem in ("table2_usps", "table3_sensorless", "table4_gas_drift", "table5_madelon", "table6_gisette"):
        assert {f"tables/{stem}.md", f"tables/{stem}.csv", f"tables/{stem}.tex"} <= files
    assert {"figures/fig4_usps_mcc_vs_r.png", "figures/fig4_usps_mcc_vs_r.pdf", "figures/fig3_gisette_mcc_vs_r.png",
            "figures/cd_diagram.png", "tables/significance.md", "tables/ranks.md", "README.md"} <= files
    out = tmp_path / "a"
    sensorless = (out / "tables/table3_sensorless.md").read_text()
    assert "No records for this dataset" in sensorless and "sensorless: SKIPPED" in sensorless
    assert "paper **0.9334**" in sensorless  # the paper's best: GL-GAN, MLP macro F1 on Sensorless
    gas = (out / "tables/table4_gas_drift.md").read_text()
    # The store holds seeds 0-4; the quick plan runs seeds 0 and 1, so only those reach the tables.
    assert "PARTIAL DATA" in gas and "Seeds: 2 per method" in gas and "deadbeef" in gas
    assert "2026-01-01T00:00:00+00:00 to 2026-01-02T00:00:00+00:00" in gas
    readme = (out / "README.md").read_text()
    assert "| 2 | GL-GAN gives the best classifier in most cells (§4.2 (ii)) | **held**" in readme
