"""Shared fixtures: the repository's seeds, the shared data beside the repo, a built service."""

from __future__ import annotations

import os

from pathlib import Path

import pytest

from bot.config import REPO_ROOT, SEEDS_DIR, Settings

os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB 22: retry_after as timedelta, no deprecation warning

SHARED = REPO_ROOT.parent / "shared"
SEED_DEV = SHARED / "eval" / "seed_dev.jsonl"
OWN_QUESTIONS = Path(__file__).parent / "data" / "seed_questions.jsonl"
QA_DATA = SHARED / "data"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (it sits beside the repository in CI)")
    return path


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """One data directory for the whole run: the seed index and the rebuilt reader live here."""
    return tmp_path_factory.mktemp("bot-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, corpus_paths=(SEEDS_DIR,))


@pytest.fixture(scope="session")
def answerer(settings: Settings):
    """The real pipeline over the seeds, with the shipped reader (built once per run)."""
    from bot.service import open_answerer

    return open_answerer(settings)
pytest_plugins = ["tests.support.fixtures"]
