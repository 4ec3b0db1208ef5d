"""GL-GAN's sensitivity to its settings on the dev list, with SMOTE's ``k_neighbors`` beside it (``make sensitivity``).

One setting at a time (``configs/benchmark/sensitivity.yaml``): every value runs the dev plan's sets, folds and
classifiers for that one method, as a Hydra override of the runner's configuration; the sampler's own default
runs with no override, so its records are keyed as the benchmark-dev store's. The report
(``results/benchmark-dev/sensitivity.md``, ``tables/sensitivity.csv``, ``figures/sensitivity.png``) gives per
value the mean MCC over the sets per classifier, the dev mean MCC over the paper's three classifiers (the
adoption rule's figure), the sample-quality targets held against SMOTE at its default, and the sampler time.
"""

from __future__ import annotations

import inspect
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from hydra.utils import get_class

from glgan.experiment.cells import CONFIG_DIR
from glgan.experiment.store import ResultStore
from glgan.keel_benchmark.plan import Task, load_benchmark_plan, order_tasks, task_keys
from glgan.keel_benchmark.quality import quality_means, target_check
from glgan.keel_benchmark.tasks import check_overrides, run_tasks, set_sizes
from glgan.report.blocks import markdown_table
from glgan.report.labels import label

GRID_FILE = CONFIG_DIR / "benchmark" / "sensitivity.yaml"
PAPER_CLASSIFIERS = ("mlp", "linear_svc", "adaboost")


@dataclass(frozen=True)
class Study:
    method: str
    setting: str  # a parameter name, or several joined by "="
    value: object
    default: bool

    @property
    def overrides(self) -> tuple[str, ...]:
        if self.default:
            return ()
        value = "null" if self.value is None else self.value
        return tuple(f"++method.sampler.{name}={value}" for name in self.setting.split("="))


def sampler_default(method: str, parameter: str):
    """The value ``method``'s sampler uses when its config leaves ``parameter`` alone (variant defaults resolved)."""
    node = yaml.safe_load((CONFIG_DIR / "method" / f"{method}.yaml").read_text())["sampler"]
    if parameter in node:
        return node[parameter]
    cls = get_class(node["_target_"])
    value = inspect.signature(cls.__init__).parameters[parameter].default
    variants = getattr(__import__(cls.__module__, fromlist=["VARIANTS"]), "VARIANTS", {})
    if value in (None, "auto") and variants:
        return variants[node.get("variant", inspect.signature(cls.__init__).parameters["variant"].default)][parameter]
    return value


def load_grid(path: Path = GRID_FILE) -> tuple[dict, list[Study]]:
    """The grid file and its studies; a setting whose values miss the default, or name no parameter, is refused."""
    grid = yaml.safe_load(path.read_text())
    studies = []
    for method, settings in grid["settings"].items():
        for setting, values in settings.items():
            defaults = {sampler_default(method, name) for name in setting.split("=")}
            if len(defaults) != 1 or next(iter(defaults)) not in values:
                raise ValueError(f"{path.name}: {method}.{setting} must list its default {sorted(defaults, key=str)} "
                                 f"among its values {values}")
            studies += [Study(method, setting, v, v == next(iter(defaults))) for v in values]
    return grid, studies


def run_sweep(results_dir: Path, jobs: int = 2, log=print) -> int:
    """Run every study's pending folds in one pool of single-threaded workers; the number that failed."""
    grid, studies = load_grid()
    plan = load_benchmark_plan(grid["experiment"])
    sizes, start, todo = set_sizes(plan.sets), time.perf_counter(), {}
    store = ResultStore(results_dir / plan.experiment)
    for study in studies:  # a method's default is one study shared by all its settings: keyed once
        tasks = order_tasks(plan.restrict(methods=[study.method]), sizes)
        if study.overrides:
            check_overrides(plan.experiment, tasks[:1], study.overrides)
        keys = task_keys(plan.experiment, tasks, study.overrides)
        todo.update({keys[task]: (task, study) for task in tasks if not store.has(keys[task])})
    pending = sorted(todo.values(), key=lambda pair: -sizes.get(pair[0].set, 0))  # biggest sets first
    log(f"sensitivity: {len(studies)} settings x {len(plan.sets)} sets x {plan.folds} folds; {len(pending)} runs to do, "
        f"{jobs} worker(s)")
    failed, wall = run_tasks(plan.experiment, [(task, study.overrides) for task, study in pending],
                             results_dir.resolve(), jobs, start)
    if pending:
        append_timing(results_dir, {"runs": len(pending), "failed": failed, "jobs": jobs, "part": "sweep",
                                    "wall_seconds": round(wall, 1)})
    return failed


def append_timing(results_dir: Path, entry: dict) -> None:
    """Add one invocation's wall time to ``<results_dir>/sensitivity-timing.json`` (a list; the page sums it)."""
    path = results_dir / "sensitivity-timing.json"
    history = json.loads(path.read_text()) if path.is_file() else []
    history = history if isinstance(history, list) else [history]
    path.write_text(json.dumps([*history, entry], indent=1, sort_keys=True) + "\n")


def repeat_tasks(plan, method: str, repeat: int) -> list:
    return [Task(s, method, repeat, f) for s in plan.sets for f in range(plan.folds)]


def study_records(results_dir: Path, repeat: int = 0, studies=None) -> pd.DataFrame:
    """The fold records of repeat ``repeat`` of every study (one row per classifier), with its method, setting,
    value and default flag; studies without records are left out."""
    grid, every = load_grid()
    plan = load_benchmark_plan(grid["experiment"])
    store, frames = ResultStore(results_dir / plan.experiment), []
    for study in every if studies is None else studies:
        tasks = repeat_tasks(plan, study.method, repeat)
        for task, key in task_keys(plan.experiment, tasks, study.overrides).items():
            if store.has(key):
                rows = json.loads(store.path_for(key).read_text())["records"]
                frames.append(pd.DataFrame(rows).assign(setting=study.setting, value=str(study.value),
                                                        default=study.default, study_method=study.method))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def summary_table(records: pd.DataFrame, classifiers) -> pd.DataFrame:
    """A row per (method, setting, value): mean MCC over sets per classifier, the dev mean MCC over the paper's
    classifiers' cells, the quality targets held against SMOTE at its default, sampler seconds per fold."""
    smote = records[(records["study_method"] == "smote") & records["default"]].assign(method="smote")
    rows = []
    for (method, setting, value), part in records.groupby(["study_method", "setting", "value"], sort=False):
        cells = part.groupby(["dataset", "classifier"])["mcc"].mean()
        row = {"method": method, "setting": setting, "value": value, "default": bool(part["default"].iloc[0]),
               "sets": part["dataset"].nunique()}
        for classifier in classifiers:
            row[f"mcc_{classifier}"] = cells.xs(classifier, level="classifier").mean()
        row["dev_mean_mcc"] = cells[cells.index.get_level_values("classifier").isin(PAPER_CLASSIFIERS)].mean()
        row["dev_mean_mcc_all"] = cells.mean()
        if method == "glgan":
            check = target_check(quality_means(pd.concat([part.assign(method=method), smote])), method)
            row["quality_held"] = f"{int(check['all'].sum())} of {len(check)}" if len(check) else "n/a"
        folds = part.drop_duplicates(["dataset", "repeat", "fold"])
        row["sampler_seconds"] = folds["sampler_seconds"].mean()
        rows.append(row)
    frame = pd.DataFrame(rows)
    base = frame[frame["default"]].groupby("method")["dev_mean_mcc"].first()  # a method's defaults are one study
    frame["gain"] = frame["dev_mean_mcc"] - frame["method"].map(base)
    return frame


def _held(text: str) -> int:
    return int(text.split()[0]) if text and text[0].isdigit() else -1  # "n/a": no SMOTE records


def qualifying(table: pd.DataFrame, gain: float, method: str = "glgan") -> pd.DataFrame:
    """The rows of ``method``'s non-default values that lift its dev mean MCC by ``gain`` and keep the default's
    sample-quality targets (none when the default's targets are unknown)."""
    part = table[table["method"] == method]
    floor = _held(part.loc[part["default"], "quality_held"].iloc[0])
    if floor < 0:
        return part.iloc[:0]
    return part[~part["default"] & (part["gain"] >= gain) & (part["quality_held"].map(_held) >= floor)]


def confirmation_studies(table: pd.DataFrame, gain: float) -> list[Study]:
    """What the second repeat runs: GL-GAN's and SMOTE's defaults and every qualifying value (none: nothing)."""
    _, studies = load_grid()
    chosen = {(r.setting, str(r.value)) for r in qualifying(table, gain).itertuples()}
    if not chosen:
        return []
    first_default = {}
    for study in studies:
        if study.default:
            first_default.setdefault(study.method, study)
    wanted = {first_default["glgan"], first_default["smote"]}
    return [s for s in studies if s in wanted or (s.method == "glgan" and (s.setting, str(s.value)) in chosen)]


def run_confirmation(results_dir: Path, jobs: int = 2, log=print) -> int:
    """Repeat 1 of the cross-validation (new fold shuffles) for the qualifying values and the defaults."""
    grid, _ = load_grid()
    plan = load_benchmark_plan(grid["experiment"])
    studies = confirmation_studies(summary_table(study_records(results_dir), plan.classifiers), grid["adopt_gain"])
    store, todo = ResultStore(results_dir / plan.experiment), []
    for study in studies:
        overrides = ("cv.repeats=2", *study.overrides)  # the hash does not depend on it: only the key's repeat
        keys = task_keys(plan.experiment, repeat_tasks(plan, study.method, 1), overrides)
        todo += [(task, overrides) for task, key in keys.items() if not store.has(key)]
    log(f"sensitivity: confirmation on a second repeat, {len(studies)} studies; {len(todo)} runs to do")
    failed, wall = run_tasks(plan.experiment, todo, results_dir.resolve(), jobs, time.perf_counter())
    if todo:
        append_timing(results_dir, {"runs": len(todo), "failed": failed, "jobs": jobs, "part": "second repeat",
                                    "wall_seconds": round(wall, 1)})
    return failed


def confirmation(results_dir: Path, table: pd.DataFrame, gain: float) -> tuple[pd.DataFrame, list[str]]:
    """The second repeat's table for the qualifying values and the final decision in words."""
    grid, _ = load_grid()
    plan = load_benchmark_plan(grid["experiment"])
    studies = confirmation_studies(table, gain)
    if not studies:
        return pd.DataFrame(), ["Nothing to confirm: the defaults stay."]
    records = study_records(results_dir, repeat=1, studies=studies)
    if records.empty or records["study_method"].nunique() < 2:
        return pd.DataFrame(), ["The second repeat has not run yet (`make sensitivity` runs it): nothing is adopted."]
    second = summary_table(records, plan.classifiers)
    confirmed = qualifying(second, gain)
    if confirmed.empty:
        return second, ["On the second repeat no qualifying value lifts GL-GAN's dev mean MCC by the rule's margin with "
                        "its quality targets kept: the gains on the first repeat are within the sweep's noise, and "
                        "the defaults stay."]
    first = table.set_index(["method", "setting", "value"])["gain"]
    mean_gain = {(r.setting, r.value): (first["glgan", r.setting, r.value] + r.gain) / 2 for r in confirmed.itertuples()}
    (setting, value), best = max(mean_gain.items(), key=lambda item: item[1])
    return second, [f"Confirmed on the second repeat: {setting} = {value} (mean gain over both repeats {best:+.4f}); "
                    "adopt it as the default."]


def threshold_decision(table: pd.DataFrame) -> list[str]:
    """The tuner of the ``threshold`` method the dev list favours: the higher mean MCC over all its cells."""
    part = table[table["method"] == "threshold"]
    if len(part) < 2:
        return []
    best = part.sort_values("dev_mean_mcc_all").iloc[-1]
    tuner = lambda value: "one 25 % validation split" if value == "None" else f"{value} inner folds"  # noqa: E731
    others = "; ".join(f"{tuner(r.value)} {r.dev_mean_mcc_all:.4f}" for r in part.itertuples() if r.value != best["value"])
    return [f"The tuned threshold's dev mean MCC over all {len(PAPER_CLASSIFIERS) + 1} classifiers' cells is highest "
            f"with {tuner(best['value'])} ({best['dev_mean_mcc_all']:.4f}; {others}): `threshold` uses it "
            f"({'the default' if best['default'] else 'not the default: change configs/method/threshold.yaml'})."]


def decision(table: pd.DataFrame, gain: float, method: str = "glgan") -> list[str]:
    """The adoption rule on the first repeat: the values that meet it, else the largest gain and that none does."""
    part = table[table["method"] == method]
    if _held(part.loc[part["default"], "quality_held"].iloc[0]) < 0:
        return ["The default's sample-quality targets are not known (no SMOTE records): nothing can be adopted."]
    ok = qualifying(table, gain, method)
    if ok.empty:
        best = part[~part["default"]].sort_values("gain").iloc[-1]
        return [f"No setting qualifies: the largest gain is {best['gain']:+.4f} ({best['setting']} = {best['value']}), "
                f"below the +{gain} the rule asks. The defaults stay."]
    return [f"Meets the rule on the first repeat: {r.setting} = {r.value} ({r.gain:+.4f}; quality targets "
            f"{r.quality_held})." for r in ok.itertuples()]


def figure(table: pd.DataFrame, classifiers, path: Path) -> list[Path]:
    """Per GL-GAN setting: mean MCC per classifier and the dev mean (thick) against its values, SMOTE's default
    and best k as reference lines; below, the sampler seconds per fold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from glgan.report.figures import save

    smote = table[table["method"] == "smote"]
    reference = {} if not smote["default"].any() else {
        "SMOTE k = 5 (default)": smote.loc[smote["default"], "dev_mean_mcc"].iloc[0],
        f"SMOTE best k = {smote.sort_values('dev_mean_mcc').iloc[-1]['value']}": smote["dev_mean_mcc"].max()}
    settings = list(dict.fromkeys(table.loc[table["method"] == "glgan", "setting"]))
    fig, axes = plt.subplots(2, len(settings), figsize=(3.1 * len(settings), 5.6), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1]}, sharey="row")
    for column, setting in enumerate(settings):
        part = table[(table["method"] == "glgan") & (table["setting"] == setting)]
        x = np.arange(len(part))
        ax, low = axes[0][column], axes[1][column]
        for classifier in classifiers:
            ax.plot(x, part[f"mcc_{classifier}"], marker="o", linewidth=0.9, label=label(classifier))
        ax.plot(x, part["dev_mean_mcc"], color="black", linewidth=2.2, marker="s", label="dev mean (paper's 3)")
        for (name, value), style in zip(reference.items(), ("--", ":")):
            ax.axhline(value, color="tab:red", linestyle=style, linewidth=1.2, label=name)
        ax.set_title(setting.replace("adversarial_weight=classifier_weight", "λ1 = λ2"), fontsize=9)
        low.bar(x, part["sampler_seconds"], color=["tab:green" if d else "0.6" for d in part["default"]])
        for axis in (ax, low):
            axis.set_xticks(x, [f"{v}*" if d else str(v) for v, d in zip(part["value"], part["default"])], fontsize=8)
    axes[0][0].set_ylabel("mean MCC over the dev sets")
    axes[1][0].set_ylabel("sampler s / fold")
    axes[0][-1].legend(fontsize=7, loc="lower right")
    fig.suptitle("GL-GAN, one setting at a time on the KEEL dev list (* = default)", fontsize=10)
    return save(fig, path)


def write_report(results_dir: Path, out: Path) -> Path:
    """``<out>/sensitivity.md``, ``<out>/tables/sensitivity.csv`` and ``<out>/figures/sensitivity.png``."""
    grid, _ = load_grid()
    plan = load_benchmark_plan(grid["experiment"])
    records = study_records(results_dir)
    if records.empty:
        raise ValueError(f"No sensitivity records under {results_dir}; run `make sensitivity` first.")
    classifiers = [c for c in plan.classifiers if c in set(records["classifier"])]
    table = summary_table(records, classifiers)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "tables" / "sensitivity.csv", index=False, float_format="%.6f")
    paths = figure(table, classifiers, out / "figures" / "sensitivity")
    timing_file = results_dir / "sensitivity-timing.json"
    timing = json.loads(timing_file.read_text()) if timing_file.is_file() else None
    timing = [timing] if isinstance(timing, dict) else timing
    shown = table.assign(**{c: table[c].map(lambda v: f"{v:.3f}") for c in table if c.startswith("mcc_")},
                         dev_mean_mcc=table["dev_mean_mcc"].map(lambda v: f"{v:.4f}"),
                         gain=table["gain"].map(lambda v: f"{v:+.4f}"),
                         sampler_seconds=table["sampler_seconds"].map(lambda v: f"{v:.2f}"),
                         value=[f"**{v}** (default)" if d else str(v) for v, d in zip(table["value"], table["default"])])
    second, confirm_lines = confirmation(results_dir, table, grid["adopt_gain"])
    if len(second):
        second.to_csv(out / "tables" / "sensitivity_confirmation.csv", index=False, float_format="%.6f")
        confirm_lines = ["Second repeat (new fold shuffles of the same sets; gain against the default's second "
                         "repeat):", "", markdown_table(second[["method", "setting", "value", "dev_mean_mcc", "gain",
                                                                  "quality_held"]].assign(
                             dev_mean_mcc=lambda f: f["dev_mean_mcc"].map(lambda v: f"{v:.4f}"),
                             gain=lambda f: f["gain"].map(lambda v: f"{v:+.4f}")).fillna("–")), "", *confirm_lines]
    commits = sorted(set(records["git_commit"].dropna())) if "git_commit" in records else []
    columns = ["method", "setting", "value", *[f"mcc_{c}" for c in classifiers], "dev_mean_mcc", "gain",
               "quality_held", "sampler_seconds"]
    text = ["# GL-GAN's sensitivity to its settings (KEEL dev list)", "",
            f"Generated by `scripts/sensitivity.py` (`make sensitivity`) from the fold records in "
            f"`{results_dir.name}/{plan.experiment}/` (commit{'s' if len(commits) > 1 else ''}: "
            f"{', '.join(f'`{c}`' for c in commits)}), grid `configs/benchmark/sensitivity.yaml`.", "",
            f"One setting at a time, every other at its default; {len(plan.sets)} dev sets, stratified "
            f"{plan.folds}-fold CV, the benchmark's classifiers. `dev_mean_mcc`: mean MCC over the (set, classifier) "
            f"cells of the paper's three classifiers; `gain`: against the same method's default. A value is adopted "
            f"only if its gain is at least +{grid['adopt_gain']} and it keeps the default's sample-quality targets "
            "(spread in [0.5, 1.5], cover ≥ SMOTE's − 0.1, near-majority ≤ SMOTE's + 0.1, per set, against SMOTE at "
            "k = 5). `sampler_seconds`: mean per fold.", "",
            "## Decision", "", *decision(table, grid["adopt_gain"]), "", *confirm_lines, "",
            *threshold_decision(table), "",
            f"![sensitivity](figures/{paths[0].name})", "",
            "## Every setting", "", markdown_table(shown[[c for c in columns if c in shown]].fillna("–")), ""]
    if timing:
        text += ["Wall time: " + "; ".join(f"{t.get('part', 'sweep')} {t['wall_seconds'] / 60:.1f} min for {t['runs']} "
                                           f"runs on {t['jobs']} worker(s), {t['failed']} failed" for t in timing)
                 + " (an invocation's runs only; runs already stored are not counted).", ""]
    readme = out / "sensitivity.md"
    readme.write_text("\n".join(text))
    return readme
