"""The method registry: every ``configs/method/*.yaml`` names its method and the label the reports show."""

import yaml

from glgan.config_dir import CONFIG_DIR
from glgan.report.labels import METHOD_LABELS, label

METHOD_FILES = sorted((CONFIG_DIR / "method").glob("*.yaml"))


def test_every_method_config_has_its_name_and_a_label():
    assert METHOD_FILES
    for path in METHOD_FILES:
        config = yaml.safe_load(path.read_text())
        assert config["name"] == path.stem, path.name
        assert isinstance(config.get("label"), str) and config["label"].strip(), f"{path.name} has no label"


def test_the_reports_label_each_method_as_its_config_says():
    assert set(METHOD_LABELS) == {path.stem for path in METHOD_FILES}
    assert label("glgan") == "GL-GAN" and label("glgan_paper") == "GL-GAN (paper variant)"
