"""Hostile and broken input through the real Telegram path: a clear reply, nothing lost, nothing executed."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.question_input import normalise_question
from tests.support.bot import bot_polling, settled
from tests.support.telegram_server import TelegramTestServer

USER, MODERATOR = 7001, 7002


@pytest_asyncio.fixture
async def bot(telegram_server: TelegramTestServer, settings: Settings, answerer, tmp_path) -> AsyncIterator[TelegramTestServer]:
    """The bot polling the test server; yields the server to push updates to and read calls from."""
    async with bot_polling(telegram_server, settings, answerer, tmp_path / "answers.sqlite3", moderator_ids=frozenset({MODERATOR})):
        yield telegram_server


BAD_TEXT = [
    ("   \t  ", "kosong"),
    ("x" * 10_000, "terlalu panjang"),
    ("😀🔥🙏", "dengan kata-kata"),
    ("Siapa\x00\x07 Sekretaris\u200b Jenderal\u202e CSTO\ufffe?", "Stanislav"),
    ("<b>Siapa</b> <script>alert(1)</script> Sekretaris Jenderal CSTO &amp; &", "Stanislav"),
    ("**Siapa** _Sekretaris_ `Jenderal` [CSTO](http://x)?", "Stanislav"),
    # SQL is read as words, never executed: the question inside it is answered, or (its words
    # "DROP TABLE questions" being in no article) declined with the closest articles.
    ("Siapa Sekretaris Jenderal CSTO'); DROP TABLE questions; --", ("Stanislav", "Artikel yang paling dekat")),
    ("Where is the Kremlin and who is its spokesman?", "bahasa Indonesia"),
    ("/start <b>junk</b> ' OR 1=1 --", "Tanya Berita"),
    ("/tanya", "kosong"),
    ("halo min", "Silakan tulis pertanyaan"),  # no question yet: greeted back, not searched for
    ("makasih ya kak 🙏", "Sama-sama"),
]


@pytest.mark.parametrize("text, expected", BAD_TEXT, ids=[f"input{i}" for i in range(len(BAD_TEXT))])
async def test_bad_text_gets_a_clear_reply_and_is_stored_verbatim(bot: TelegramTestServer, tmp_path, text, expected):
    bot.push_message(USER, USER, text)
    [reply] = await bot.wait_for("sendMessage", timeout=30)
    assert reply.ok and any(e in reply.result["text"] for e in ((expected,) if isinstance(expected, str) else expected))
    rows = (await settled(tmp_path / "answers.sqlite3")).execute("SELECT text, status FROM questions").fetchall()
    if not text.startswith("/"):
        assert len(rows) == 1 and rows[0][1] in ("delivered", "failed")
        assert rows[0][0] == (normalise_question(text) or text[:2000])  # stored as typed (normalised), not executed
    tables = {r[0] for r in sqlite3.connect(tmp_path / "answers.sqlite3").execute("SELECT name FROM sqlite_master")}
    assert "questions" in tables


async def test_moderator_command_with_junk_arguments(bot: TelegramTestServer):
    bot.push_message(MODERATOR, MODERATOR, "/stats abc; DROP")
    [reply] = await bot.wait_for("sendMessage", timeout=30)
    assert "/stats 7" in reply.result["text"]


async def test_button_pressed_twice_and_for_a_missing_answer(bot: TelegramTestServer, tmp_path):
    bot.push_message(USER, USER, "Siapa Sekretaris Jenderal CSTO?")
    [answer] = await bot.wait_for("sendMessage", timeout=30)
    down = answer.params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
    for data in (down, down, "vote:424242:up", "rev:1:c", "vote:1:sideways", "x" * 64):
        bot.push_callback_query(USER, USER, answer.result["message_id"], data)
    acks = await bot.wait_for("answerCallbackQuery", count=6, timeout=30)
    texts = [a.params["text"] for a in acks]
    assert sorted(texts) == sorted(["Terima kasih, 👎 tercatat. Moderator akan meninjaunya.",
                                    "Penilaian Anda sudah tercatat sebelumnya.", "Jawaban ini tidak ditemukan lagi.",
                                    "Perintah ini khusus untuk moderator.", "Tombol ini tidak dikenal.", "Tombol ini tidak dikenal."])
    assert sqlite3.connect(tmp_path / "answers.sqlite3").execute("SELECT count(*) FROM votes").fetchone()[0] == 1


async def test_non_moderator_is_refused_everywhere(bot: TelegramTestServer, tmp_path):
    for chat, kind in ((USER, "private"), (-100777, "supergroup")):
        for command in ("/review", "/stats", "/export"):
            bot.push_message(chat, USER, command, chat_type=kind)
    replies = await bot.wait_for("sendMessage", count=6, timeout=30)
    assert all("khusus untuk moderator" in r.result["text"] for r in replies)
    assert not bot.calls("sendDocument")
    assert sqlite3.connect(tmp_path / "answers.sqlite3").execute("SELECT count(*) FROM refusals").fetchone()[0] == 6


def test_markup_is_read_as_words():
    from bot.question_input import without_markup

    assert without_markup("<b>Siapa</b> <script>alert(1)</script> Sekjen CSTO &amp; &") == "Siapa Sekjen CSTO & &"
    assert without_markup("**Siapa** _Sekjen_ `CSTO` [di sini](https://x.id/a_b)?") == "Siapa Sekjen CSTO di sini ?"
    assert without_markup("Berapa (kira-kira) tentara?") == "Berapa (kira-kira) tentara?"
