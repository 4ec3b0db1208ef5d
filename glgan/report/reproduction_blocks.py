"""Templates of the generated blocks in docs/REPRODUCTION.md (see :mod:`glgan.report.blocks`).

Each reads committed results files only; the dev-study tables (``study-<stem>`` blocks) are written by
:mod:`glgan.report.doc_blocks` from ``results/dev-studies/<stem>.csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from glgan.report.blocks import cpus_of, markdown_table, minutes
from glgan.report.labels import label

#: The KEEL lists: results folder -> how the document names it.
LISTS = {"benchmark-dev": "dev (choices)", "benchmark": "eval (report only)"}
#: The latent samplers compared in §6, with SMOTE as the reference.
LATENT_METHODS = ("smote", "glgan", "glgan_paper", "auto_only", "plain_ae")
PAPER_CLASSIFIERS = ("mlp", "linear_svc", "adaboost")


def _tables(root: Path, folder: str) -> Path:
    return root / "results" / folder / "tables"


def _latent_rows(root: Path, folder: str) -> list[dict]:
    tables = _tables(root, folder)
    mcc = pd.read_csv(tables / "mcc_per_set.csv")
    ranks = pd.read_csv(tables / "mean_ranks.csv").set_index("method")
    wilcoxon = pd.read_csv(tables / "wilcoxon.csv")
    seconds = pd.read_csv(tables / "sampler_seconds.csv").set_index("method")
    rows = []
    for method in LATENT_METHODS:
        own = mcc[mcc["method"] == method]
        paper_three = own[own["classifier"].isin(PAPER_CLASSIFIERS)]
        against = wilcoxon[wilcoxon["method"] == method]
        wtl = "—" if method == "glgan" else "/".join(str(int(against[c].sum())) for c in ("wins", "ties", "losses"))
        rows.append({
            "list": LISTS[folder],
            "method": label(method),
            "mean MCC, 3 classifiers": f"{paper_three['mean'].mean():.4f} ({len(paper_three)} cells)",
            "mean MCC, with LightGBM": f"{own['mean'].mean():.4f} ({len(own)} cells)",
            "mean rank": f"{ranks.loc[method].mean():.2f} of {len(ranks)}",
            "GL-GAN W/T/L against it": wtl,
            "sampler s per fold": f"{seconds.loc[method, 'mean']:.3f}",
        })
    return rows


def keel_latent_samplers(root: Path) -> str:
    """GL-GAN, its paper variant, Auto-only, Plain AE and SMOTE on both KEEL lists (MCC over (set, classifier))."""
    rows = [row for folder in LISTS if (_tables(root, folder) / "mcc_per_set.csv").exists()
            for row in _latent_rows(root, folder)]
    if not rows:
        return "No committed `results/benchmark*/tables/`."
    note = ("Mean rank: the mean over the four classifiers of the method's mean MCC rank among all methods of "
            "the list; W/T/L: GL-GAN's wins, ties and losses in the sets' mean MCC, summed over the four "
            "classifiers. From `results/benchmark-dev/tables/` and `results/benchmark/tables/`.")
    return markdown_table(pd.DataFrame(rows)) + "\n\n" + note


def keel_timing(root: Path) -> str:
    """Runs and wall time of the last invocations of both KEEL benchmarks (their ``timing.json``)."""
    rows = []
    for folder in ("benchmark-dev", "benchmark"):
        path = root / "results" / folder / "timing.json"
        if not path.exists():
            continue
        entries = json.loads(path.read_text())
        rows.append({
            "target": f"`make {folder}`",
            "runs": sum(e["runs"] for e in entries),
            "failed": sum(e["failed"] for e in entries),
            "workers": entries[-1]["jobs"],
            "wall time": minutes(sum(e["wall_seconds"] for e in entries)),
            "CPU": cpus_of(root / "results" / folder / "tables" / "protocol.json"),
        })
    if not rows:
        return "No committed `results/benchmark*/timing.json`."
    return markdown_table(pd.DataFrame(rows))


def sensitivity(root: Path) -> str:
    """Every setting of ``make sensitivity`` (``results/benchmark-dev/tables/sensitivity.csv``), default marked."""
    table = pd.read_csv(_tables(root, "benchmark-dev") / "sensitivity.csv", keep_default_na=False)
    shown = pd.DataFrame({
        "method": table["method"].map(label), "setting": table["setting"].str.replace(
            "adversarial_weight=classifier_weight", "λ1 = λ2 (Eq. 3.6)"),
        "value": [f"**{v}** (default)" if d else v for v, d in zip(table["value"], table["default"])],
        "dev mean MCC (3 classifiers)": table["dev_mean_mcc"].map(lambda v: f"{v:.4f}"),
        "gain": table["gain"].map(lambda v: f"{v:+.4f}"),
        "with LightGBM": table["dev_mean_mcc_all"].map(lambda v: f"{v:.4f}"),
        "quality targets": table.get("quality_held", pd.Series("", index=table.index)).replace("", "–"),
        "sampler s per fold": table["sampler_seconds"].map(lambda v: f"{v:.2f}"),
    })
    text = markdown_table(shown)
    second = _tables(root, "benchmark-dev") / "sensitivity_confirmation.csv"
    if second.exists():
        again = pd.read_csv(second, keep_default_na=False)
        text += "\n\nThe second repeat of the values that met the bar, and of the defaults:\n\n" + markdown_table(
            pd.DataFrame({"method": again["method"].map(label), "setting": again["setting"], "value": again["value"],
                          "dev mean MCC (3 classifiers)": again["dev_mean_mcc"].map(lambda v: f"{v:.4f}"),
                          "gain": again["gain"].map(lambda v: f"{v:+.4f}"),
                          "quality targets": again["quality_held"].replace("", "–")}))
    return text


def threshold_tuners(root: Path) -> str:
    """The ``threshold`` method's two tuners on the dev list, mean MCC per classifier (``sensitivity.csv``)."""
    table = pd.read_csv(_tables(root, "benchmark-dev") / "sensitivity.csv", keep_default_na=False)
    table = table[table["method"] == "threshold"]
    columns = [c for c in table.columns if c.startswith("mcc_")]
    shown = pd.DataFrame({"tuner": ["one 25 % validation split (`cv: null`)" if v == "None" else f"{v} inner folds (`cv: {v}`)"
                                    for v in table["value"]],
                          **{label(c.removeprefix("mcc_")): table[c].map(lambda v: f"{v:.4f}") for c in columns},
                          "all four": table["dev_mean_mcc_all"].map(lambda v: f"{v:.4f}")})
    return markdown_table(shown)


TEMPLATES = {
    "threshold-tuners": threshold_tuners,
    "keel-latent-samplers": keel_latent_samplers,
    "keel-timing": keel_timing,
    "sensitivity": sensitivity,
}
