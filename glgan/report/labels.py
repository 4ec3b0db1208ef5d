"""Names, orders and display labels shared by the tables, figures, statistics and summary."""

from __future__ import annotations

import yaml

from glgan.config_dir import CONFIG_DIR
from glgan.experiment.protocol import PAPER_RATIO  # noqa: F401  (re-exported for the report)

#: The paper's eight columns of Tables 2-6, in the paper's order.
TABLE_METHODS = ("imbalanced", "random", "smote", "mdo", "nras", "swim", "bagan", "glgan")
#: Methods run at r = 0.01 that the paper shows only in Figures 3-5.
ABLATION_METHODS = ("auto_only", "cgan", "plain_ae")
#: Variants of a paper method, shown in their own block under each table: variant -> the paper column it is
#: compared with (the paper has no number of its own for a variant).
VARIANT_METHODS = {"swim_published": "swim", "glgan_paper": "glgan"}
#: Figures 3 and 4 (SMOTE added as a reference line).
FIGURE_METHODS = ("auto_only", "cgan", "glgan", "smote")
OVERSAMPLERS = tuple(m for m in TABLE_METHODS if m != "imbalanced")
REFERENCE_METHOD = "glgan"

CLASSIFIERS = ("mlp", "linear_svc", "adaboost")
METRICS = ("macro_f1", "micro_f1", "mcc")

#: Dataset -> (table file stem, table number) for Tables 2-6.
TABLES = {
    "usps": ("table2_usps", 2),
    "sensorless": ("table3_sensorless", 3),
    "gas_drift": ("table4_gas_drift", 4),
    "madelon": ("table5_madelon", 5),
    "gisette": ("table6_gisette", 6),
}
#: Dataset -> (figure file stem, figure number) for the MCC-vs-r figures.
R_FIGURES = {"gisette": ("fig3_gisette_mcc_vs_r", 3), "usps": ("fig4_usps_mcc_vs_r", 4)}

DATASET_LABELS = {
    "usps": "USPS",
    "sensorless": "Sensorless Drive Diagnosis",
    "gas_drift": "Gas Sensor Array Drift",
    "madelon": "Madelon",
    "gisette": "Gisette",
    "mnist": "MNIST (4 vs 7)",
}


def _method_labels() -> dict[str, str]:
    """Method name -> display label, from the ``label`` of each ``configs/method/*.yaml`` (the one list of methods)."""
    labels = {}
    for path in sorted((CONFIG_DIR / "method").glob("*.yaml")):
        config = yaml.safe_load(path.read_text())
        labels[config["name"]] = config["label"]
    return labels


METHOD_LABELS = _method_labels()
CLASSIFIER_LABELS = {"mlp": "MLPClassifier", "linear_svc": "LinearSVC", "adaboost": "AdaBoost", "lightgbm": "LightGBM"}
METRIC_LABELS = {"macro_f1": "macro F1", "micro_f1": "micro F1", "mcc": "MCC", "roc_auc": "ROC AUC",
                 "average_precision": "average precision", "brier": "Brier score", "log_loss": "log-loss"}


def label(name: str) -> str:
    """Display label of a dataset, method, classifier or metric name (the name itself if unknown)."""
    for table in (METHOD_LABELS, DATASET_LABELS, CLASSIFIER_LABELS, METRIC_LABELS):
        if name in table:
            return table[name]
    return name


def ordered(names, order) -> list[str]:
    """``names`` in ``order`` first, then any others alphabetically."""
    names = set(names)
    return [n for n in order if n in names] + sorted(names - set(order))
