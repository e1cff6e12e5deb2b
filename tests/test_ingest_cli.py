"""`python -m bot index --add URL page.html` and `python -m bot feed …` against the tests' news server."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import datetime, timezone

from bot.config import REPO_ROOT
from bot.ingest.extract import article_id
from tests.support.news_server import PAGES, NewsServer


async def run_cli(*args: str, data_dir) -> tuple[int, str, str]:
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", "BOT_FETCH_TIMEOUT": "3",
           "BOT_DENSE_RETRIEVAL": "off"}  # BM25 only: these tests are about the sources, not retrieval
    env.pop("TELEGRAM_BOT_TOKEN", None)
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, cwd=REPO_ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 300)
    return process.returncode, out.decode(), err.decode()


def indexed(data_dir) -> dict[str, dict]:
    lines = (data_dir / "index" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {a["id"]: a for a in map(json.loads, lines)}


async def test_index_add_takes_urls_and_html_files_and_reports_bad_ones(tmp_path):
    async with NewsServer() as news:
        code, out, err = await run_cli("index", str(REPO_ROOT / "seeds"), data_dir=tmp_path)
        assert code == 0, err
        code, out, err = await run_cli("index", "--add", news.url("/artikel/gempa.html"), str(PAGES / "jembatan.html"),
                                       news.url("/dokumen.pdf"), news.url("/artikel/beranda.html"), data_dir=tmp_path)
        assert code == 0, err
        assert "indexed 7 articles" in out and "(2 skipped)" in out
        assert "dokumen.pdf: not_html" in err and "beranda.html: no_article" in err
        articles = indexed(tmp_path)
        gempa = articles[article_id(news.url("/artikel/gempa.html"))]
        assert gempa["url"] == news.url("/artikel/gempa.html") and gempa["source"] == "Kabar Priangan"
        assert any(a["title"].startswith("Jembatan Teluk Sepinggan") for a in articles.values())


async def test_feed_commands(tmp_path):
    async with NewsServer() as news:
        news.publish("pantura", "Banjir", "/artikel/banjir.html", datetime(2026, 11, 24, 9, tzinfo=timezone.utc))
        assert (await run_cli("index", str(REPO_ROOT / "seeds"), data_dir=tmp_path))[0] == 0
        code, out, err = await run_cli("feed", "add", news.url("/feed/pantura.xml"), data_dir=tmp_path)
        assert code == 0 and "1 entries now" in out, err
        code, out, err = await run_cli("feed", "poll", data_dir=tmp_path)
        assert code == 0 and "1 added" in out, err
        assert article_id(news.url("/artikel/banjir.html")) in indexed(tmp_path)
        code, out, _ = await run_cli("feed", data_dir=tmp_path)
        assert "Feed pantura" in out and "1 articles" in out and "ok" in out
        code, out, _ = await run_cli("feed", "remove", news.url("/feed/pantura.xml"), data_dir=tmp_path)
        assert code == 0 and "removed" in out
