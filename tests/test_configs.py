"""Every config composes and passes the config check; every method config names its method, carries the label the
reports show, instantiates an imbalanced-learn sampler and passes the run's checks in every experiment; the config
hash follows what changes a run's results."""

from pathlib import Path

import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from imblearn.base import SamplerMixin

from glgan.experiment.config_check import check_config
from glgan.report.labels import METHOD_LABELS, label
from glgan.run import check_run_config, config_hash, sampler_config

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
METHODS = sorted(p.stem for p in (CONFIGS / "method").glob("*.yaml"))
DATASETS = sorted(p.stem for p in (CONFIGS / "dataset").glob("*.yaml"))
EXPERIMENTS = sorted(p.stem for p in (CONFIGS / "experiment").glob("*.yaml"))
#: The experiments whose runs check every method before any work (the KEEL one needs a set).
RUN_EXPERIMENTS = (("paper", []), ("quick", []), ("benchmark-dev", ["dataset.set=yeast3"]))


def compose_config(*overrides):
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        return compose("config", overrides=list(overrides))


def test_the_method_names_used_everywhere_have_configs():
    assert set(METHODS) == {"imbalanced", "random", "smote", "mdo", "nras", "swim", "swim_published", "bagan",
                            "cgan", "auto_only", "plain_ae", "glgan", "glgan_paper",
                            "polynom_fit_smote_star", "prowsyn", "smote_ipf",  # these three: KEEL benchmark
                            "class_weight", "threshold"}  # KEEL benchmark, no oversampling
    assert set(DATASETS) == {"usps", "sensorless", "gas_drift", "madelon", "gisette", "mnist", "keel"}


@pytest.mark.parametrize("method", METHODS)
def test_method_config_is_named_labelled_instantiates_a_sampler_and_passes_the_run_checks(method):
    config = yaml.safe_load((CONFIGS / "method" / f"{method}.yaml").read_text())
    assert config["name"] == method
    assert isinstance(config.get("label"), str) and config["label"].strip(), f"{method}.yaml has no label"
    cfg = compose_config(f"method={method}", "seed=4")
    assert cfg.method.name == method
    sampler = instantiate(sampler_config(cfg))
    assert isinstance(sampler, SamplerMixin) and hasattr(sampler, "fit_resample")
    if "random_state" in sampler.get_params():
        assert sampler.get_params()["random_state"] == 4
    # the checks a run makes before any work: keys and values, the sampler class imports, every argument known
    for experiment, extra in RUN_EXPERIMENTS:
        check_run_config(compose_config(f"experiment={experiment}", f"method={method}", *extra))


def test_the_reports_label_each_method_as_its_config_says():
    assert set(METHOD_LABELS) == set(METHODS)
    assert label("glgan") == "GL-GAN" and label("glgan_paper") == "GL-GAN (paper variant)"


@pytest.mark.parametrize("dataset", DATASETS)
def test_dataset_config_passes_the_check_and_names_a_class_pair(dataset):
    cfg = compose_config(f"dataset={dataset}")
    check_config(cfg, CONFIGS, dataset_choice=dataset)
    if dataset != "keel":  # keel: a set of the KEEL benchmark, at its natural imbalance
        assert cfg.dataset.name == dataset and cfg.dataset.majority != cfg.dataset.minority


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_configs_compose_and_pass_the_check(experiment):
    cfg = compose_config(f"experiment={experiment}")
    assert cfg.experiment == experiment
    check_config(cfg, CONFIGS)


def test_an_override_of_a_known_sampler_parameter_passes_the_check():
    check_config(compose_config("method=glgan", "+sampler_overrides.glgan.latent_dim=8"), CONFIGS)


def test_classifiers_are_sklearn_defaults_except_the_documented_linear_svc_dual():
    cfg = compose_config("seed=2")
    classifiers = {name: instantiate(node) for name, node in cfg.classifier.items()}
    assert set(classifiers) == {"mlp", "linear_svc", "adaboost"}
    for name, clf in classifiers.items():
        defaults = type(clf)().get_params()
        changed = {k for k, v in clf.get_params().items() if defaults[k] != v}
        assert changed == ({"random_state", "dual"} if name == "linear_svc" else {"random_state"})
    # the paper experiment's AdaBoost is SAMME.R (scikit-learn 0.22's default), SAMME a named variant
    assert type(classifiers["adaboost"]).__name__ == "SAMMERAdaBoostClassifier"


def test_adaboost_samme_is_a_named_classifier_variant():
    cfg = compose_config("seed=2", "classifier=[mlp,linear_svc,adaboost_samme]")
    classifiers = {name: instantiate(node) for name, node in cfg.classifier.items()}
    assert set(classifiers) == {"mlp", "linear_svc", "adaboost_samme"}
    assert type(classifiers["adaboost_samme"]).__name__ == "AdaBoostClassifier"
    assert config_hash(cfg) != config_hash(compose_config("seed=2"))


def test_config_hash_ignores_seed_and_ratio_but_not_the_method_or_overrides():
    base = config_hash(compose_config("method=smote"))
    assert config_hash(compose_config("method=smote", "seed=9", "ratio=0.05")) == base
    assert config_hash(compose_config("method=random")) != base
    assert config_hash(compose_config("method=smote", "+sampler_overrides.smote.k_neighbors=3")) != base


def test_samplers_that_share_glgans_training_code_carry_its_results_revision():
    from baselines import BAGAN, CGAN
    from glgan import GLGAN
    from glgan.latent_sampler import LatentSMOTESampler

    # BAGAN pretrains with glgan.autoencoder.train_autoencoder, so its outputs moved with it (revision 1); the
    # balanced variant's ae_min_steps (revision 2) is not BAGAN's; cGAN has its own loop
    assert GLGAN._results_revision == LatentSMOTESampler._results_revision == 2
    assert BAGAN._results_revision == 1
    assert getattr(CGAN, "_results_revision", 0) == 0


def test_config_hash_follows_a_samplers_results_revision(monkeypatch):
    from glgan.latent_sampler import LatentSMOTESampler

    smote, glgan, auto_only = (config_hash(compose_config(f"method={m}")) for m in ("smote", "glgan", "auto_only"))
    monkeypatch.setattr(LatentSMOTESampler, "_results_revision", LatentSMOTESampler._results_revision + 1)
    assert config_hash(compose_config("method=glgan")) != glgan
    assert config_hash(compose_config("method=auto_only")) != auto_only
    assert config_hash(compose_config("method=smote")) == smote  # a sampler without one keeps its hash
