"""The templates of every generated block in README.md and docs/ (see :mod:`glgan.report.blocks`).

Each reads only committed results files: the paper report's ``results/tables/`` (``headline.json``,
``claims.csv``, Tables 2-6 as CSV), the KEEL reports' ``results/benchmark*/tables/`` and ``timing.json``,
``results/bench.json``, ``results/reproduce.log`` and the dev studies' ``results/dev-studies/*.csv``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd

from glgan.data.keel import benchmark_lists
from glgan.report.blocks import cpus_of, markdown_table, minutes
from glgan.report.labels import label
from glgan.report.reproduction_blocks import TEMPLATES as REPRODUCTION_TEMPLATES

DOCS = ("README.md", "docs/REPRODUCTION.md")
PAPER_TABLES = ("table2_usps", "table3_sensorless", "table4_gas_drift", "table5_madelon", "table6_gisette")
EVAL, DEV = "results/benchmark", "results/benchmark-dev"
STUDIES = "results/dev-studies"


def _csv(root: Path, path: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(root / path, **kwargs)


def _headline(root: Path) -> dict:
    return json.loads((root / "results/tables/headline.json").read_text())


def _standing(root: Path, folder: str) -> pd.DataFrame:
    return _csv(root, f"{folder}/tables/standing.csv")


def _wall_minutes(root: Path, folder: str) -> str:
    history = json.loads((root / folder / "timing.json").read_text())
    return minutes(sum(h["wall_seconds"] for h in history))


def readme_verdict(root: Path) -> str:
    """The claims' verdicts, GL-GAN against SMOTE on the paper's data and the KEEL eval list, and the answer to
    the practitioner's question, one line per classifier."""
    head = _headline(root)
    duel, ranks = head["glgan_vs_smote"], head["mean_rank"]
    claims = _csv(root, "results/tables/claims.csv")
    data = ", ".join(_dataset(d, head) for d in duel["datasets"])
    standing = _standing(root, EVAL)
    rows = [{"data": f"the paper's splits at r = 0.01 ({data})", "cells": f"{duel['n']} dataset × classifier",
             "GL-GAN MCC": f"{duel['mean_a']:.3f}", "SMOTE MCC": f"{duel['mean_b']:.3f}",
             "GL-GAN W/T/L vs SMOTE": f"{duel['wins']}/{duel['ties']}/{duel['losses']}",
             "mean rank GL-GAN / SMOTE": f"{ranks['glgan']:.2f} / {ranks['smote']:.2f} of {len(ranks)}"}]
    listed = len(benchmark_lists()["eval"])
    for r in standing.itertuples():
        run = f"{r.n_sets} sets" if r.n_sets == listed else f"{r.n_sets} of its {listed} sets (the rest not run yet)"
        rows.append({"data": f"KEEL eval list, {label(r.classifier)}", "cells": run,
                     "GL-GAN MCC": f"{r.reference_mean:.3f}", "SMOTE MCC": f"{r.other_mean:.3f}",
                     "GL-GAN W/T/L vs SMOTE": f"{r.wins}/{r.ties}/{r.losses}",
                     "mean rank GL-GAN / SMOTE": f"{r.reference_rank:.2f} / {r.other_rank:.2f} of {r.n_methods}"})
    answer = _csv(root, f"{EVAL}/tables/answer.csv")
    mcc = answer[answer["metric"] == "mcc"]
    behind = int((standing["wins"] < standing["losses"]).sum())
    weights = mcc[mcc["baseline"] == "class_weight"]
    lines = [f"GL-GAN {'does not beat' if duel['wins'] <= duel['losses'] else 'beats'} SMOTE on the paper's splits "
             f"({duel['wins']} wins, {duel['losses']} losses) and is behind it on the KEEL eval list with "
             f"{behind} of {len(standing)} classifiers. Against balanced class weights, the best oversampler is "
             f"better with {int((weights['verdict'] == 'oversampler better').sum())} of {len(weights)} classifiers.", "",
             "**GL-GAN against SMOTE** (MCC; W/T/L: cells or sets where GL-GAN's mean is above / level / below):", "",
             markdown_table(pd.DataFrame(rows)), "",
             "**The paper's claims**, each judged by a fixed rule ([results/README.md](results/README.md)): " +
             "; ".join(f"{c.claim} — **{c.verdict}**" for c in claims.itertuples()) + ".", "",
             "**Does oversampling beat doing nothing well?** On the KEEL eval list, the best oversampler (picked on "
             "the same sets, which favours it) against balanced class weights and a threshold tuned for MCC "
             f"{json.loads((root / EVAL / 'tables' / 'protocol.json').read_text())['threshold_tuning']} of the "
             "training fold, MCC, Bayesian signed-rank test ([results/benchmark/README.md](results/benchmark/README.md)):",
             ""]
    for classifier, part in mcc.groupby("classifier", sort=False):
        parts = [f"{label(r.baseline)} {r.baseline_mean:.3f}: {r.verdict}" for r in part.itertuples()]
        best = part.iloc[0]
        lines.append(f"* {label(classifier)}: {label(best['best'])} {best['best_mean']:.3f}; " + "; ".join(parts) + ".")
    return "\n".join(lines + _calibration_lines(root))


def _calibration_lines(root: Path) -> list[str]:
    """The Brier score of that oversampler against the classifier left as it is, per classifier with probabilities."""
    path = root / EVAL / "tables" / "calibration_answer.csv"
    rows = pd.read_csv(path) if path.is_file() and path.stat().st_size > 1 else pd.DataFrame()
    if rows.empty:
        return []
    rows = rows[(rows["comparison"] == "brier") & (rows["right"] == "imbalanced")]
    parts = [f"{label(r.classifier)} {r.best_mean:.3f} vs {r.baseline_mean:.3f} ({r.verdict})" for r in rows.itertuples()]
    return ["", "**Calibration** (Brier score of the minority probability, lower is better; that oversampler against "
            "the classifier left as it is, ROPE 0.01): " + "; ".join(parts) + "."]


def _dataset(name: str, headline: dict) -> str:
    return f"{label(name)} (partial)" if name in headline["partial_datasets"] else label(name)


def readme_paper(root: Path) -> str:
    """GL-GAN, its paper variant, SMOTE and the best method per held dataset and classifier (MCC, r = 0.01)."""
    rows, head = [], _headline(root)
    for stem in PAPER_TABLES:
        table = _csv(root, f"results/tables/{stem}.csv")
        table = table[(table["metric"] == "mcc") & table["n_seeds"].fillna(0).gt(0)]
        for (dataset, classifier), cell in table.groupby(["dataset", "classifier"], sort=False):
            by = cell.set_index("method")
            best = by["mean"].idxmax()
            value = lambda m: f"{by.loc[m, 'mean']:.3f} ({by.loc[m, 'paper']:.3f})" if m in by.index else "–"  # noqa: E731
            rows.append({"dataset": _dataset(dataset, head), "classifier": label(classifier), "GL-GAN (paper)": value("glgan"),
                         "GL-GAN paper variant": f"{by.loc['glgan_paper', 'mean']:.3f}" if "glgan_paper" in by.index else "–",
                         "SMOTE (paper)": value("smote"), "best here": f"{label(best)} {by.loc[best, 'mean']:.3f}"})
    within = head["baselines_within"]
    return "\n".join([markdown_table(pd.DataFrame(rows)), "",
                      f"Baseline cells within ±{within['tolerance']:g} of the paper on the completely held datasets: "
                      f"{within['k']} of {within['n']}."])


def readme_keel(root: Path) -> str:
    """The dev list, where every default is chosen: GL-GAN's and SMOTE's mean rank and MCC per classifier."""
    rows = [{"classifier": label(r.classifier), "sets": r.n_sets,
             "GL-GAN rank / MCC": f"{r.reference_rank:.2f} / {r.reference_mean:.3f}",
             "SMOTE rank / MCC": f"{r.other_rank:.2f} / {r.other_mean:.3f}", "of methods": r.n_methods}
            for r in _standing(root, DEV).itertuples()]
    return "\n".join(["On the dev list, where every default is chosen (the eval list is in the verdict above):", "",
                      markdown_table(pd.DataFrame(rows))])


def readme_speed(root: Path) -> str:
    """GL-GAN's fit time on the USPS split and on synthetic data, and the make targets' wall times."""
    bench = json.loads((root / "results/bench.json").read_text())
    ok = [r for r in bench["rows"] if r["result"].get("status") == "ok"]
    usps = {r["method"]: r["result"]["seconds"] for r in ok if r["dataset"] == "usps" and r["kind"] == "held"}
    scale = {r["n_majority"]: r["result"]["seconds"] for r in ok
             if r["method"] == "glgan" and r["dataset"].startswith("synthetic")}
    log = (root / "results/reproduce.log").read_text()
    wall = re.findall(r"reproduce: finished \| elapsed (\d+):(\d\d):(\d\d)", log)[-1]
    reproduce = int(wall[0]) * 3600 + int(wall[1]) * 60 + int(wall[2])
    sizes = ", ".join(f"{scale[n]:.1f} s at {n:.0e}".replace("e+0", "e") for n in sorted(scale))
    return (f"One CPU thread ([results/bench.md](results/bench.md)): GL-GAN fits the USPS split in "
            f"{usps['glgan']:.2f} s (paper variant {usps['glgan_paper']:.2f} s, SMOTE {usps['smote']:.3f} s); on "
            f"synthetic data with 50 features, {sizes} majority rows. On 2 cores, `make reproduce` took "
            f"{minutes(reproduce)} ({cpus_of(root / 'results/tables/headline.json')}), `make benchmark` "
            f"{_wall_minutes(root, EVAL)} ({cpus_of(root / EVAL / 'tables/protocol.json')}) and `make benchmark-dev` "
            f"{_wall_minutes(root, DEV)} ({cpus_of(root / DEV / 'tables/protocol.json')}).")


def study_table(root: Path, stem: str) -> str:
    """A dev study's table, ``results/dev-studies/<stem>.csv``, every cell as written there."""
    lines = (root / STUDIES / f"{stem}.csv").read_text().splitlines()
    body = "\n".join(lines[next(i for i, line in enumerate(lines) if not line.startswith("#")):])
    frame = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    return markdown_table(frame)


def _study_templates(root: Path = Path(__file__).resolve().parents[2]) -> dict:
    return {f"study-{path.stem}": (lambda r, stem=path.stem: study_table(r, stem))
            for path in sorted((root / STUDIES).glob("*.csv"))}


TEMPLATES = {"readme-verdict": readme_verdict, "readme-paper": readme_paper, "readme-keel": readme_keel,
             "readme-speed": readme_speed, **REPRODUCTION_TEMPLATES, **_study_templates()}


def update_docs(root: Path = Path(__file__).resolve().parents[2]) -> list[str]:
    """Rewrite every generated block of README.md and docs/ from the results files; one line per file changed,
    and one per block left as it was because a results file it reads is not there yet."""
    from glgan.report.blocks import write_blocks

    missing, templates = [], {}
    for name, template in TEMPLATES.items():
        try:
            template(root)
            templates[name] = template
        except FileNotFoundError as error:
            missing.append(f"block '{name}' left as it is: {error.filename} is not there yet")
            templates[name] = lambda r, name=name: _current_body(r, name)
    return [f"rewrote {path.relative_to(root)}" for path in write_blocks(DOCS, templates, root)] + missing


def _current_body(root: Path, name: str) -> str:
    from glgan.report.blocks import BLOCK

    for doc in DOCS:
        for match in BLOCK.finditer((root / doc).read_text()):
            if match.group("name") == name:
                return match.group("body")
    return ""
