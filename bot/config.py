"""All configuration, read once from the environment into one frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"


class ConfigError(ValueError):
    """A setting has a value the bot cannot use."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    telegram_token: str | None = field(default=None, repr=False)  # a secret: never printed
    telegram_api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    port: int = 8443
    moderator_ids: frozenset[int] = frozenset()
    database_path: Path | None = None
    database_url: str | None = field(default=None, repr=False)  # PostgreSQL answer log; may hold a password
    claim_seconds: int = 30  # how long a process holds a question it answers (renewed while it lives)
    corpus_paths: tuple[Path, ...] = (SEEDS_DIR,)
    top_k: int = 5
    dense_retrieval: bool = True  # BOT_DENSE_RETRIEVAL=off: BM25 only (no vectors built or searched)
    precision: str = "auto"  # BOT_PRECISION: the encoders compute in bf16 or fp32; auto: whichever is faster here
    questions_per_minute: int = 6
    max_pending_questions: int = 64
    log_level: str = "INFO"
    feed_poll_seconds: int = 600  # how often the running bot polls its RSS/Atom feeds
    review_refresh_seconds: int = 30  # how often a bot process looks for other processes' reviews
    fetch_timeout: int = 15  # seconds for fetching one page or feed, body included
    fetch_max_bytes: int = 5_000_000  # larger pages and feeds are refused

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def db_path(self) -> Path:
        return self.database_path or self.data_dir / "answers.sqlite3"

    @property
    def answer_log(self) -> Path | str:
        """Where the answer log lives: DATABASE_URL (PostgreSQL) when set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def feeds_path(self) -> Path:
        return self.data_dir / "feeds.json"


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise ConfigError(f"{name} must be on or off, not {raw!r}")


def _database_url(raw: str) -> str | None:
    """DATABASE_URL: empty (SQLite), or a postgres:// / postgresql:// URL."""
    raw = raw.strip()
    if raw and not raw.startswith(("postgres://", "postgresql://")):
        raise ConfigError("DATABASE_URL must be a PostgreSQL URL (postgresql://user:password@host:5432/name)")
    return raw or None


def _precision(raw: str) -> str:
    from bot.reader.precision import PRECISIONS

    value = raw.strip().lower() or "auto"
    if value not in PRECISIONS:
        raise ConfigError(f"BOT_PRECISION must be one of {', '.join(PRECISIONS)}, not {raw.strip()!r}")
    return value


def _ids(raw: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError("MODERATOR_IDS must be comma-separated Telegram user ids, e.g. 12345,67890") from None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (see .env.example for every variable)."""
    env = os.environ if env is None else env
    corpus = tuple(Path(p) for p in env.get("BOT_CORPUS", "").split(os.pathsep) if p) or (SEEDS_DIR,)
    return Settings(
        data_dir=Path(env.get("BOT_DATA_DIR") or REPO_ROOT / "data"),
        telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip() or None,
        webhook_url=env.get("TELEGRAM_WEBHOOK_URL", "").strip() or None,
        webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or None,
        port=_int(env, "PORT", 8443),
        moderator_ids=_ids(env.get("MODERATOR_IDS", "")),
        database_path=Path(env["BOT_DB_PATH"]) if env.get("BOT_DB_PATH") else None,
        database_url=_database_url(env.get("DATABASE_URL", "")),
        claim_seconds=_int(env, "BOT_CLAIM_SECONDS", 30),
        corpus_paths=corpus,
        top_k=_int(env, "BOT_TOP_K", 5),
        dense_retrieval=_switch(env, "BOT_DENSE_RETRIEVAL", True),
        precision=_precision(env.get("BOT_PRECISION", "")),
        questions_per_minute=_int(env, "BOT_QUESTIONS_PER_MINUTE", 6),
        max_pending_questions=_int(env, "BOT_MAX_PENDING_QUESTIONS", 64),
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
        feed_poll_seconds=_int(env, "BOT_FEED_POLL_SECONDS", 600),
        review_refresh_seconds=_int(env, "BOT_REVIEW_REFRESH_SECONDS", 30),
        fetch_timeout=_int(env, "BOT_FETCH_TIMEOUT", 15),
        fetch_max_bytes=_int(env, "BOT_FETCH_MAX_BYTES", 5_000_000),
    )
