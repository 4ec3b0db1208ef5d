"""Build hooks only; everything else is in pyproject.toml.

* The Hydra configs have one source, the top-level ``configs/``. A wheel ships a copy of it as
  ``glgan/configs``, which ``glgan.config_dir.find_config_dir`` uses when there is no checkout.
* Builds happen outside the checkout (a temporary build folder), so ``pip wheel .`` leaves no ``build/``.
* The templates of README's and docs/' generated blocks read a checkout's README.md, docs/ and results/; a wheel
  leaves them out (``CHECKOUT_ONLY``).
"""

import shutil
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CHECKOUT_ONLY = {("glgan.report", "doc_blocks"), ("glgan.report", "reproduction_blocks")}


class build_py_with_configs(build_py):  # noqa: N801 - setuptools command naming
    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        if getattr(self, "editable_mode", False):
            return modules
        return [m for m in modules if (m[0], m[1]) not in CHECKOUT_ONLY]

    def run(self):
        super().run()
        if not getattr(self, "editable_mode", False):  # an editable install reads the checkout's configs/
            target = Path(self.build_lib) / "glgan" / "configs"
            shutil.copytree(ROOT / "configs", target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(
    cmdclass={"build_py": build_py_with_configs},
    options={"build": {"build_base": tempfile.mkdtemp(prefix="glgan-build-")}},
)
