"""GL-GAN (Wang et al., SDM 2020) as an imbalanced-learn over-sampler, plus the reproduction tooling.

``from glgan import GLGAN`` gives the sampler. The subpackages ``glgan.data`` (dataset loaders),
``glgan.experiment`` (split protocol, evaluation, results store) and ``glgan.report`` (tables and
figures) are imported on demand so that loading data does not pull in torch.
"""

__all__ = ["GLGAN"]
__version__ = "0.1.0"


def __getattr__(name):
    if name == "GLGAN":
        from glgan.sampler import GLGAN

        return GLGAN
    raise AttributeError(f"module 'glgan' has no attribute {name!r}")
