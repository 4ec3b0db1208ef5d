"""The paper's baselines and GL-GAN's ablations, each an imbalanced-learn style over-sampler.

Classes are imported on first use so that ``import baselines`` stays cheap (no torch for SMOTE).
"""

import importlib

_WHERE = {
    "SMOTE": "baselines.smote",
    "MDO": "baselines.smote_variants",
    "NRAS": "baselines.smote_variants",
    "SWIM": "baselines.swim",
    "BAGAN": "baselines.bagan",
    "CGAN": "baselines.cgan",
    "AutoOnly": "baselines.ablations",
    "PlainAE": "baselines.ablations",
    "RandomOverSampler": "baselines.random_oversampler",
    "PolynomFitSMOTEStar": "baselines.smote_variants_top",
    "ProWSyn": "baselines.smote_variants_top",
    "SMOTEIPF": "baselines.smote_variants_top",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'baselines' has no attribute {name!r}")
