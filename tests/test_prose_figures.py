"""The numbers of README.md and docs/REPRODUCTION.md agree with the results files they summarise."""

from __future__ import annotations

from glgan.report.prose_check import ROOT, check_figure, stale_figures, unregistered_numbers
from glgan.report.prose_figures import FIGURES
from glgan.report.prose_values import README, figure


def test_every_prose_figure_agrees_with_its_source():
    stale = stale_figures()
    assert not stale, "stale prose figures (fix the text, or the entry in glgan/report/prose_figures.py):\n" + \
        "\n".join(str(s) for s in stale)


def test_a_stale_figure_in_an_edited_copy_fails_and_says_which_what_and_where():
    readme = (ROOT / README).read_text()
    entry = next(f for f in FIGURES if f.template.startswith("then results/tables and results/figures"))
    good = entry.render()
    minutes = good.split("last run: ")[1].split(" min")[0]
    edited = readme.replace(good, good.replace(f"last run: {minutes} min", "last run: 23 min"))
    assert edited != readme
    (problem,) = stale_figures([entry], {README: edited})
    message = str(problem)
    assert "last run: 23 min on 2 cores" in problem.found and f"last run: {minutes} min on 2 cores" in problem.expected
    assert message.startswith(f"{README}:") and "results/reproduce.log now gives" in message
    assert f"{README}:{readme[:readme.index(good)].count(chr(10)) + 1}:" in message


def test_every_registered_figure_fails_on_a_copy_without_its_number():
    """No entry can pass on any text: each rendered figure contains a computed number the check depends on."""
    for entry in FIGURES:
        rendered = entry.render()
        values = {name: compute() for name, compute in entry.values.items()}
        assert values, f"{entry.template!r} states no computed figure"
        broken = entry.template.format(**{name: "?" for name in values})
        assert check_figure(entry, rendered) is None and check_figure(entry, broken) is not None, entry.template


def test_a_reworded_sentence_and_an_unreadable_source_are_reported_not_skipped(tmp_path):
    entry = figure(README, "took {m} min in all", "nowhere.log", m=lambda: "7")
    assert "not in the document" in str(check_figure(entry, "some other text"))
    broken = figure(README, "took {m} min", "missing.csv", m=lambda: (_ for _ in ()).throw(ValueError("no such row")))
    assert "cannot be computed: ValueError: no such row" in str(check_figure(broken, "took 7 min"))


def test_every_number_in_the_result_sections_of_the_readme_is_a_registered_figure():
    readme = (ROOT / README).read_text()
    loose = unregistered_numbers(readme, [f for f in FIGURES if f.doc == README])
    assert not loose, ("numbers in README.md that no entry of glgan/report/prose_figures.py checks (register them, "
                       "or add their kind to NOT_RESULTS in glgan/report/prose_check.py):\n" + "\n".join(loose))


def test_a_new_unregistered_figure_in_the_readme_is_found():
    readme = (ROOT / README).read_text().replace("## Results\n", "## Results\n\nGL-GAN took 17.5 s on USPS.\n", 1)
    (loose,) = unregistered_numbers(readme, [f for f in FIGURES if f.doc == README])
    assert "'17.5'" in loose
