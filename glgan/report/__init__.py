"""Reporting for the reproduction: Tables 2-6, Figures 3-6, statistics, interleaving and the claims summary.

Entry points are ``scripts/reproduce.py`` (run the sweeps, then report) and ``scripts/make_report.py``
(report from an existing results store); :func:`glgan.report.make.make_report` does the work.
"""
