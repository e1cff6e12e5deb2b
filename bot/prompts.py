"""User-facing text: Jinja templates in prompts/, autoescaped for Telegram's HTML parse mode."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.config import REPO_ROOT
from bot.corpus.dates import indonesian_date

PROMPTS_DIR = REPO_ROOT / "prompts"
TELEGRAM_LIMIT = 4096


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["shorten"] = shorten
    env.filters["tanggal"] = indonesian_date  # 2021-07-06 -> "6 Juli 2021"
    return env


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def render(template: str, /, **context) -> str:
    """Render prompts/<name>; .html templates are escaped, .txt templates are plain text."""
    return environment().get_template(template).render(**context).strip()
