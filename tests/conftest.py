"""Shared test setup: the loaders' download memory lives in a per-test folder, never in ~/.cache."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_download_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("GLGAN_CACHE_DIR", str(tmp_path_factory.mktemp("glgan-cache")))
    monkeypatch.delenv("GLGAN_RETRY_DOWNLOADS", raising=False)
    monkeypatch.delenv("GLGAN_OFFLINE", raising=False)  # tests that download mock the network themselves
