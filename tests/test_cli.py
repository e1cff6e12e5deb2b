"""The CLI contract: `ask --jsonl`, `ask --json`, `index` of a user's own corpus, `eval`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.config import REPO_ROOT
from tests.conftest import SEED_DEV, require

FIELDS = {"id", "question", "answer", "score", "article", "passage", "start", "end", "latency_ms"}


def run_cli(*args: str, data_dir, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=REPO_ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(answerer, data_dir):
    """The session's data dir with the seed index and the reader already built."""
    return data_dir


def test_ask_jsonl_prints_one_object_per_line_in_order(built):
    lines = require(SEED_DEV).read_text().splitlines()
    result = run_cli("ask", "--jsonl", str(SEED_DEV), data_dir=built)
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in objects] == [json.loads(line)["id"] for line in lines]
    for obj in objects:
        assert FIELDS <= obj.keys()
        if obj["answer"] is not None:
            assert set(obj["article"]) == {"id", "title", "source", "date", "url"}
            assert obj["answer"] in obj["passage"] and obj["end"] - obj["start"] == len(obj["answer"])


def test_ask_jsonl_with_context_and_bad_lines(built):
    stdin = "\n".join([
        json.dumps({"id": "c1", "question": "Berapa ketinggian Gunung Rinjani?",
                    "context": "Gunung Rinjani memiliki ketinggian 3.726 meter di atas permukaan laut."}),
        "this is not json",
        json.dumps({"id": "c2", "question": 42}),
    ])
    result = run_cli("ask", "--jsonl", "-", data_dir=built, stdin=stdin)
    first, bad, wrong_type = (json.loads(line) for line in result.stdout.splitlines())
    assert first["id"] == "c1" and first["article"] is None and "3.726" in first["answer"]
    assert "error" in bad and bad["line"] == 2 and "error" in wrong_type


def test_ask_prints_the_answer_with_its_citation(built):
    result = run_cli("ask", "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?", data_dir=built)
    assert result.returncode == 0, result.stderr
    assert "20.000" in result.stdout and "Sumber: TASS" in result.stdout
    as_json = json.loads(run_cli("ask", "--json", "Siapa Sekretaris Jenderal CSTO?", data_dir=built).stdout)
    assert as_json["answer"] == "Stanislav Zas" and as_json["article"]["id"].startswith("004")


def test_index_serves_the_users_own_articles(built, tmp_path):
    data_dir = tmp_path / "data"
    (data_dir / "models").mkdir(parents=True)
    for model in (built / "models").iterdir():  # reuse the built reader; the index is what changes
        (data_dir / "models" / model.name).symlink_to(model)
    corpus = tmp_path / "mine.jsonl"
    corpus.write_text(json.dumps({
        "id": "rinjani-1", "title": "Pendaki Rinjani Ditemukan", "source": "Contoh News", "date": "2024-05-02",
        "url": "https://contoh.example/rinjani",
        "text": "Tim SAR menemukan pendaki asal Jakarta di Gunung Rinjani pada Kamis pagi. "
                "Pendaki bernama Budi Santoso itu ditemukan dalam keadaan selamat setelah hilang tiga hari."}) + "\n")
    indexed = run_cli("index", str(corpus), data_dir=data_dir)
    assert indexed.returncode == 0 and "indexed 1 articles" in indexed.stdout
    answer = json.loads(run_cli("ask", "--json", "Siapa nama pendaki yang ditemukan di Rinjani?", data_dir=data_dir).stdout)
    assert answer["answer"] == "Budi Santoso"
    assert answer["article"] == {"id": "rinjani-1", "title": "Pendaki Rinjani Ditemukan", "source": "Contoh News",
                                 "date": "2024-05-02", "url": "https://contoh.example/rinjani"}


def test_eval_reports_the_figures(built):
    result = run_cli("eval", str(require(SEED_DEV)), data_dir=built)
    figures = json.loads(result.stdout)
    assert {"exact_match", "f1", "citation_accuracy", "abstention_accuracy"} <= figures.keys()
    assert figures["questions"] == 15 and figures["answerable"] == 13
    assert figures["citation_accuracy"] >= 90 and figures["f1"] >= 60


def test_open_eval_scores_retrieval_and_answers_over_any_corpus(built, tmp_path):
    """A reading-comprehension file as corpus and questions: recall per retriever, then the pipeline's answers."""
    contexts = [
        ("Dewan kota Sukamaju menetapkan Rudi Hartono sebagai wali kota pada 12 Mei 2020.", "Siapa wali kota Sukamaju?", "Rudi Hartono"),
        ("Banjir di Kabupaten Lebak merendam 300 rumah warga setelah hujan deras semalam.", "Berapa rumah yang terendam banjir di Lebak?", "300 rumah"),
        ("Tim nasional bola voli putri meraih medali emas di Hanoi setelah menang atas Thailand.", "Di mana tim voli putri meraih medali emas?", "Hanoi"),
    ]
    rc = [{"context": c, "qas": [{"id": f"q{i}", "question": q, "is_impossible": False,
                                  "answers": [{"text": a, "answer_start": c.index(a)}]}]}
          for i, (c, q, a) in enumerate(contexts)]
    path = tmp_path / "rc.json"
    path.write_text(json.dumps(rc))
    cache = tmp_path / "indexes"
    reports = []
    for title in ("on", "off"):
        result = run_cli("open-eval", "--corpus", str(path), "--questions", str(path), "--answers",
                         "--title-in-vectors", title, "--cache-dir", str(cache), data_dir=built)
        assert result.returncode == 0, result.stderr
        reports.append(json.loads(result.stdout))
    for report in reports:
        assert report["retrieval"]["bm25"]["recall@1"] == 100.0 and report["retrieval"]["dense"]["questions"] == 3
        assert report["answers"]["questions"] == 3 and report["answers"]["gold_cited"] > 0
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 2  # one index per setting
