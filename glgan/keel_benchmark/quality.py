"""The benchmark report's sample-quality section: the ``quality_*`` fields of the fold records.

Per set and method the mean over folds of the spread ratio, cover and near-majority share of the synthetic
minority rows (:mod:`glgan.diagnostics`), and the check of the sample-quality targets for the reference method
against SMOTE: spread ratio in [0.5, 1.5], cover at least SMOTE's − 0.1, near-majority at most SMOTE's + 0.1.
"""

from __future__ import annotations

import pandas as pd

from glgan.report.labels import label

SHOWN = ("spread_ratio", "cover", "near_majority")
OVERVIEW = ("spread_ratio", "cover", "near_majority", "precision", "recall", "density", "coverage")
SPREAD_RANGE, COVER_SLACK, NEAR_MAJORITY_SLACK = (0.5, 1.5), 0.1, 0.1


def quality_means(records: pd.DataFrame) -> pd.DataFrame:
    """Mean over folds of every ``quality_*`` field per (set, method); one row per fold record first."""
    columns = [c for c in records.columns if c.startswith("quality_")]
    if not columns:
        return pd.DataFrame()
    per_fold = records.drop_duplicates(["dataset", "method", "repeat", "fold"])
    per_fold = per_fold.dropna(subset=["quality_spread_ratio"])
    means = per_fold.groupby(["dataset", "method"])[columns].mean()
    return means.rename(columns=lambda c: c.removeprefix("quality_")).reset_index()


def quality_table(means: pd.DataFrame, methods, sets) -> pd.DataFrame:
    """Set x method cells "spread / cover / near-maj"."""
    cell = means.assign(cell=[" / ".join(f"{row[m]:.2f}" for m in SHOWN) for _, row in means.iterrows()])
    table = cell.pivot(index="dataset", columns="method", values="cell")
    return table.reindex(index=[s for s in sets if s in table.index],
                         columns=[m for m in methods if m in table.columns]).fillna("—")


def target_check(means: pd.DataFrame, reference: str, baseline: str = "smote") -> pd.DataFrame:
    """Per set: the reference's three values, the baseline's, and whether each target holds."""
    wide = means.set_index(["dataset", "method"])
    rows = []
    for dataset in sorted(set(means["dataset"])):
        if (dataset, reference) not in wide.index or (dataset, baseline) not in wide.index:
            continue
        ref, base = wide.loc[(dataset, reference)], wide.loc[(dataset, baseline)]
        checks = {
            "spread": SPREAD_RANGE[0] <= ref["spread_ratio"] <= SPREAD_RANGE[1],
            "cover": ref["cover"] >= base["cover"] - COVER_SLACK,
            "near-maj": ref["near_majority"] <= base["near_majority"] + NEAR_MAJORITY_SLACK,
        }
        rows.append({"set": dataset,
                     label(reference): " / ".join(f"{ref[m]:.2f}" for m in SHOWN),
                     label(baseline): " / ".join(f"{base[m]:.2f}" for m in SHOWN),
                     **{k: "yes" if v else "**no**" for k, v in checks.items()},
                     "all": all(checks.values())})
    return pd.DataFrame(rows)


def quality_section(records: pd.DataFrame, methods, sets, reference: str, markdown) -> list[str]:
    """Markdown lines of the report's sample-quality section (empty when no record has the fields)."""
    means = quality_means(records)
    if means.empty:
        return []
    lines = ["## Sample quality of the synthetic minority rows (mean over folds)", "",
             "Spread ratio / cover / near-majority share (`glgan.diagnostics`, synthetic rows against the test "
             "fold's real minority rows): spread = RMS distance to their mean over the real training minority's; "
             "cover = share of held-out minority rows nearer a synthetic row than any majority training row; "
             "near-maj = share of synthetic rows whose nearest training row is a majority row. "
             "— = the method adds no rows or also removes rows.", "",
             markdown(quality_table(means, methods, sets).rename(columns=label).rename_axis("set")), ""]
    check = target_check(means, reference)
    if len(check):
        held = int(check["all"].sum())
        lines += [f"### Sample-quality targets for {label(reference)} against SMOTE: held on {held} of {len(check)} sets",
                  "", "Spread in [0.5, 1.5]; cover ≥ SMOTE's − 0.1; near-maj ≤ SMOTE's + 0.1.", "",
                  markdown(check.drop(columns="all"), index=False), ""]
    overview = means.groupby("method")[[c for c in OVERVIEW if c in means]].mean()
    overview = overview.reindex([m for m in methods if m in overview.index])
    lines += ["Mean over sets, with precision / recall / density / coverage (Naeem et al. 2020):", "",
              markdown(overview.rename(index=label).rename_axis("method")), ""]
    return lines
