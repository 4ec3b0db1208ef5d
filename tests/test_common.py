"""Common tests of every over-sampler the project ships, after imbalanced-learn's ``imblearn/tests/test_common.py``
and ``imblearn/tests/test_docstring_parameters.py``.

The samplers come from the method registry: every ``configs/method/*.yaml`` whose ``sampler._target_`` is one of
the project's over-samplers (the methods that are not are listed in :data:`NOT_OVERSAMPLERS` with the reason).
They must be exactly the classes ``baselines`` and ``glgan`` export (``__all__``). Each one gets

* imbalanced-learn's estimator checks (``estimator_checks_generator``), torch samplers at the test-sized settings of
  :data:`TINY`, with the expected failures of :data:`EXPECTED_FAILED_CHECKS` as strict xfails of a named exception;
* parameter validation: ``_parameter_constraints`` has exactly the ``__init__`` parameters, ``__init__`` stores
  its arguments as given and nothing else, and a bad type or value of any parameter raises imbalanced-learn's
  informative error (``check_param_validation``, as imbalanced-learn runs it on its own samplers);
* a docstring check: the class's numpydoc ``Parameters`` section names exactly the ``__init__`` parameters.

A new sampler is picked up from its config. If it trains with torch, give it test-sized settings in :data:`TINY`
(the test says so otherwise); if a check fails for a reason that is by design, add it to
:data:`EXPECTED_FAILED_CHECKS` with the exception it raises, a pattern of its message and that reason.
"""

import functools
import importlib
import inspect
import re
import warnings
from typing import NamedTuple

import pytest
import yaml
from imblearn.utils.estimator_checks import check_param_validation, estimator_checks_generator

import baselines
import glgan
from glgan.config_dir import CONFIG_DIR
from glgan.sampler_contract import DenseOnlyMixin
from glgan.torch_sampler import TorchSamplerMixin

METHOD_FILES = sorted((CONFIG_DIR / "method").glob("*.yaml"))

#: Methods whose ``sampler`` is not one of the project's over-samplers, and why.
NOT_OVERSAMPLERS = {
    "imbalanced": "imbalanced-learn's own FunctionSampler without a function (the rows unchanged); "
                  "imbalanced-learn tests it",
    "class_weight": "glgan.experiment.no_oversampling.ClassWeighting: a FunctionSampler without a function (the "
                    "rows unchanged) that changes how the classifiers are trained, not an over-sampler; "
                    "tests/test_no_oversampling.py",
    "threshold": "glgan.experiment.no_oversampling.ThresholdTuning: a FunctionSampler without a function (the "
                 "rows unchanged) that tunes the classifiers' decision threshold, not an over-sampler; "
                 "tests/test_no_oversampling.py",
}

# Test-sized settings of the torch samplers (the checks fit each one about 15 times), by class name.
_AUTOENCODER = dict(latent_dim=2, hidden_dims=(8,), ae_epochs=2, ae_min_steps=0, batch_size=256, device="cpu")
TINY = {
    "GLGAN": {**_AUTOENCODER, "gan_epochs": 2},
    "AutoOnly": _AUTOENCODER,
    "PlainAE": _AUTOENCODER,
    "BAGAN": dict(hidden_dims=(8,), latent_dim=4, epochs=1, batch_size=256, device="cpu"),
    "CGAN": dict(latent_dim=4, generator_units=8, discriminator_units=8, epochs=1, batch_size=256, device="cpu"),
}


class ExpectedFailure(NamedTuple):
    """How a check fails by design: the exception, a pattern its message matches, and why."""

    exception: type[BaseException]
    match: str
    reason: str


_DENSE_ONLY = ExpectedFailure(
    TypeError, "dense data is required",
    "dense-only sampler: sparse input is rejected with a TypeError asking for a dense array",
)
#: ``{class name: {check name: ExpectedFailure}}``: checks that fail by design. They run marked
#: ``xfail(raises=..., strict=True)``: passing, or failing with another exception or message, fails the test.
EXPECTED_FAILED_CHECKS = {
    name: {"check_samplers_pandas_sparse": _DENSE_ONLY}
    for name in ("MDO", "NRAS", "SWIM", "PolynomFitSMOTEStar", "ProWSyn", "SMOTEIPF")
}


def _import(target: str):
    module, _, name = target.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _sampler_target(path):
    return (yaml.safe_load(path.read_text()).get("sampler") or {}).get("_target_")


#: ``{method: class}`` for every method config that names one of the project's over-samplers.
CONFIGURED = {path.stem: _import(_sampler_target(path)) for path in METHOD_FILES
              if path.stem not in NOT_OVERSAMPLERS and _sampler_target(path)}  # no target: the first test fails
#: The classes the packages export.
EXPORTED = [getattr(baselines, name) for name in baselines.__all__] + [getattr(glgan, name) for name in glgan.__all__]
#: Every sampler, once (tested even when the two lists disagree; the test below fails then).
SAMPLERS = sorted({*CONFIGURED.values(), *EXPORTED}, key=lambda cls: cls.__name__)


def _name(cls):
    return cls.__name__


def _init_parameters(cls):
    return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]


def _tested_instance(cls):
    """``cls`` as the estimator checks get it: a fixed seed (the checks compare repeated calls), tiny networks."""
    return cls(random_state=0, **TINY.get(cls.__name__, {}))


def _check_name(check):
    while isinstance(check, functools.partial):
        check = check.func
    return check.__name__


def _expected_failure(estimator, check):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {}).get(_check_name(check))


def _estimator_checks():
    """imbalanced-learn's checks of every sampler; those of :data:`EXPECTED_FAILED_CHECKS` as strict xfails.

    (``parametrize_with_checks(expected_failed_checks=...)`` marks them ``xfail(reason=...)`` only: any exception,
    or none, would pass.)
    """
    for cls in SAMPLERS:
        for estimator, check in estimator_checks_generator(_tested_instance(cls), legacy=True, mark=None):
            expected = _expected_failure(estimator, check)
            marks = [] if expected is None else [
                pytest.mark.xfail(raises=expected.exception, strict=True, reason=expected.reason)]
            yield pytest.param(estimator, check, marks=marks, id=f"{cls.__name__}-{_check_name(check)}")


# --- the registry -------------------------------------------------------------------------------------------


def test_every_method_config_names_a_shipped_sampler_or_says_why_not():
    assert METHOD_FILES
    targets = {path.stem: _sampler_target(path) for path in METHOD_FILES}
    assert set(NOT_OVERSAMPLERS) <= set(targets), "NOT_OVERSAMPLERS names a method that has no config"
    for method, target in targets.items():
        if method not in NOT_OVERSAMPLERS:
            assert target, f"configs/method/{method}.yaml names no sampler._target_"
            assert inspect.isclass(_import(target)), f"configs/method/{method}.yaml: {target} is not a class"


def test_the_configured_samplers_are_the_exported_ones():
    assert sorted(baselines.__all__) == sorted(baselines._WHERE)
    configured = {cls.__name__ for cls in CONFIGURED.values()}
    exported = {cls.__name__ for cls in EXPORTED}
    assert configured - exported == set(), "sampler in configs/method/ but not in baselines._WHERE / glgan.__all__"
    assert exported - configured == set(), "sampler exported by baselines / glgan but in no configs/method/*.yaml"
    assert len({*CONFIGURED.values(), *EXPORTED}) == len(exported)  # one class per name
    assert glgan.GLGAN in SAMPLERS


def test_settings_and_expected_failures_name_samplers_and_cover_the_torch_ones():
    names = {cls.__name__ for cls in SAMPLERS}
    assert set(TINY) <= names and set(EXPECTED_FAILED_CHECKS) <= names
    torch_samplers = {cls.__name__ for cls in SAMPLERS if issubclass(cls, TorchSamplerMixin)}
    assert torch_samplers - set(TINY) == set(), "a torch sampler without test-sized settings in TINY"
    dense_only = {cls.__name__ for cls in SAMPLERS if issubclass(cls, DenseOnlyMixin)}
    assert dense_only == set(EXPECTED_FAILED_CHECKS)
    for cls in SAMPLERS:  # every expected failure names a check that runs for that sampler
        checks = {_check_name(check) for _, check in estimator_checks_generator(_tested_instance(cls), mark=None)}
        assert set(EXPECTED_FAILED_CHECKS.get(cls.__name__, {})) <= checks


# --- imbalanced-learn's estimator checks ----------------------------------------------------------------------


@pytest.mark.parametrize("estimator, check", _estimator_checks())
def test_imblearn_estimator_checks(estimator, check):
    expected = _expected_failure(estimator, check)
    with warnings.catch_warnings():
        # e.g. smote-variants' "generated no rows" and the torch samplers' collapse warning on the checks' data
        warnings.simplefilter("ignore", UserWarning)
        try:
            check(estimator)
        except Exception as error:
            if expected is not None and isinstance(error, expected.exception):
                # The expected exception for another reason is a failure (AssertionError is not `raises`).
                assert re.search(expected.match, str(error)), f"{type(error).__name__}, but not for the expected " \
                    f"reason ({expected.reason}): {error}"
            raise


# --- parameters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("Sampler", SAMPLERS, ids=_name)
def test_parameter_constraints_cover_exactly_the_init_parameters(Sampler):
    kinds = {parameter.kind for parameter in inspect.signature(Sampler.__init__).parameters.values()}
    assert not kinds & {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}
    assert sorted(Sampler._parameter_constraints) == sorted(_init_parameters(Sampler))


@pytest.mark.parametrize("Sampler", SAMPLERS, ids=_name)
def test_init_stores_its_arguments_verbatim_and_nothing_else(Sampler):
    arguments = {name: object() for name in _init_parameters(Sampler)}  # valid for no parameter: no work in __init__
    sampler = Sampler(**arguments)
    stored = sampler.get_params(deep=False)
    assert stored.keys() == arguments.keys()
    assert all(stored[name] is value for name, value in arguments.items())
    assert set(vars(sampler)) == set(arguments)


@pytest.mark.parametrize("Sampler", SAMPLERS, ids=_name)
def test_invalid_parameters_raise_an_informative_error(Sampler):
    check_param_validation(Sampler.__name__, _tested_instance(Sampler))


# --- docstrings -------------------------------------------------------------------------------------------

_SECTION = re.compile(r"^(?P<title>[A-Z][A-Za-z ]*)\n-{3,}[ \t]*$", re.MULTILINE)


def documented_parameters(cls):
    """The names in ``cls``'s own numpydoc ``Parameters`` section (``a, b : int`` gives both), or None."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    headings = list(_SECTION.finditer(doc))
    for i, heading in enumerate(headings):
        if heading["title"] == "Parameters":
            end = headings[i + 1].start() if i + 1 < len(headings) else len(doc)
            lines = doc[heading.end():end].splitlines()
            entries = [line.split(" : ")[0] for line in lines if line.strip() and not line[0].isspace()]
            return [name.strip() for entry in entries for name in entry.split(",")]
    return None


def test_documented_parameters_reads_numpydoc():
    class Example:
        """Summary.

        Parameters
        ----------
        a : int
            First.

            More about a : not a parameter.
        b, c : float, default=1.0
            Both.
        d

        Attributes
        ----------
        e_ : int
        """

    assert documented_parameters(Example) == ["a", "b", "c", "d"]
    assert documented_parameters(type("Bare", (), {"__doc__": "No sections."})) is None


@pytest.mark.parametrize("Sampler", SAMPLERS, ids=_name)
def test_docstring_documents_exactly_the_init_parameters(Sampler):
    documented = documented_parameters(Sampler)
    assert documented is not None, f"{Sampler.__name__}'s docstring has no Parameters section"
    assert len(documented) == len(set(documented)), f"a parameter documented twice: {documented}"
    parameters = set(_init_parameters(Sampler))
    assert set(documented) - parameters == set(), "documented but not a parameter of __init__"
    assert parameters - set(documented) == set(), "a parameter of __init__ not documented"
