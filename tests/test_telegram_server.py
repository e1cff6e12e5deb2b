"""The local Bot API server speaks Telegram's protocol well enough for a real PTB Application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.support.telegram_server import TelegramTestServer, UploadedFile

CHAT = 42
BAD_HTML = "Bad Request: can't parse entities"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Berita", callback_data="news")]])
    await update.effective_message.reply_text("<b>Halo!</b>", parse_mode="HTML", reply_markup=keyboard)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await update.callback_query.edit_message_text(f"dipilih: {update.callback_query.data}")


@asynccontextmanager
async def running_bot(server: TelegramTestServer, rate_limiter: AIORateLimiter | None = None) -> AsyncIterator[Application]:
    """A polling PTB Application with echo, /start and button handlers."""
    builder = Application.builder().token(server.token).base_url(server.base_url).base_file_url(server.base_file_url)
    app = (builder.rate_limiter(rate_limiter) if rate_limiter else builder).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(on_button))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def post(server: TelegramTestServer, method: str, token: str | None = None, **params: Any) -> tuple[int, dict]:
    """A raw JSON request to the server, bypassing PTB."""
    url = f"{server.base_url}{token or server.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, json=params) as response:
        return response.status, await response.json()


async def test_pushed_message_reaches_handler_and_reply_is_recorded(telegram_server: TelegramTestServer) -> None:
    async with running_bot(telegram_server):
        telegram_server.push_message(CHAT, CHAT, "halo bot")
        [reply] = await telegram_server.wait_for("sendMessage")

    assert reply.ok
    assert reply.params["chat_id"] == CHAT and reply.params["text"] == "echo: halo bot"
    assert reply.result["from"]["username"] == "TanyaBeritaBot"
    assert reply.result["message_id"] == 2  # the user's message was 1 in this chat
    methods = [call.method for call in telegram_server.calls()]
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert telegram_server.updates == []  # the final getUpdates confirmed the update


async def test_command_keyboard_and_callback_edit(telegram_server: TelegramTestServer) -> None:
    async with running_bot(telegram_server):
        telegram_server.push_message(-1001234, 7, "/start@TanyaBeritaBot", chat_type="supergroup")
        [menu] = await telegram_server.wait_for("sendMessage")
        telegram_server.push_callback_query(-1001234, 7, menu.result["message_id"], "news")
        [edit] = await telegram_server.wait_for("editMessageText")
        [answer] = await telegram_server.wait_for("answerCallbackQuery")

    assert menu.result["text"] == "Halo!"
    assert menu.result["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
    assert menu.result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "news"
    assert menu.result["reply_to_message"]["text"] == "/start@TanyaBeritaBot"  # PTB quotes in groups
    assert answer.ok and edit.ok and edit.result["text"] == "dipilih: news"
    assert "reply_markup" not in edit.result  # editing text without a keyboard removes it


async def test_rate_limited_reply_is_retried_by_aioratelimiter(telegram_server: TelegramTestServer) -> None:
    telegram_server.fail_next("sendMessage", status=429, retry_after=1)
    async with running_bot(telegram_server, rate_limiter=AIORateLimiter(max_retries=3)):
        telegram_server.push_message(CHAT, CHAT, "cepat")
        first, second = await telegram_server.wait_for("sendMessage", count=2)

    assert first.status == 429 and first.response["parameters"] == {"retry_after": 1}
    assert second.ok and second.params["text"] == "echo: cepat"
    assert second.time - first.time >= 1


async def test_polling_survives_conflict(telegram_server: TelegramTestServer) -> None:
    telegram_server.fail_next("getUpdates", status=409)
    async with running_bot(telegram_server):
        telegram_server.push_message(CHAT, CHAT, "masih hidup?")
        [reply] = await telegram_server.wait_for("sendMessage")
    assert reply.params["text"] == "echo: masih hidup?"
    assert telegram_server.calls("getUpdates")[0].response["description"].startswith("Conflict")


async def test_document_upload_is_recorded(telegram_server: TelegramTestServer) -> None:
    telegram_server.add_chat(CHAT)
    async with Bot(telegram_server.token, base_url=telegram_server.base_url, base_file_url=telegram_server.base_file_url) as bot:
        message = await bot.send_document(CHAT, b"isi berita", filename="berita.txt", caption="<i>ringkasan</i>", parse_mode="HTML")

    [call] = telegram_server.calls("sendDocument")
    assert call.params["document"] == UploadedFile("berita.txt", b"isi berita", "text/plain")
    assert message.caption == "ringkasan" and message.caption_entities[0].type == "italic"
    assert message.document.file_name == "berita.txt" and message.document.file_size == 10


async def test_get_me_unknown_method_and_wrong_token(telegram_server: TelegramTestServer) -> None:
    status, body = await post(telegram_server, "getMe")
    assert status == 200 and body["result"]["username"] == "TanyaBeritaBot"
    assert body["result"]["is_bot"] and body["result"]["can_join_groups"]
    status, body = await post(telegram_server, "sendTelepathy")
    assert (status, body["ok"], body["error_code"]) == (400, False, 400)
    status, body = await post(telegram_server, "getMe", token="123:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


@pytest.mark.parametrize(
    "text",
    ["<b>x", "<script>alert(1)</script>", "<b><i>x</b></i>", "a < b", "Tom & Jerry", "&nbsp;",
     '<a href="https://x.id" target="_blank">x</a>', '<span class="merah">x</span>', "<br>"],
)
async def test_invalid_html_is_rejected(telegram_server: TelegramTestServer, text: str) -> None:
    telegram_server.add_chat(CHAT)
    status, body = await post(telegram_server, "sendMessage", chat_id=CHAT, text=text, parse_mode="HTML")
    assert status == 400 and body["description"].startswith(BAD_HTML)


async def test_valid_html_becomes_plain_text_and_entities(telegram_server: TelegramTestServer) -> None:
    telegram_server.add_chat(CHAT)
    html = '<b>Berita</b> &amp; <a href="https://x.id">tautan</a> &lt;3 &#128240;<pre><code class="language-py">x</code></pre>'
    status, body = await post(telegram_server, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML")
    assert status == 200 and body["result"]["text"] == "Berita & tautan <3 📰x"
    assert body["result"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 6},
        {"type": "text_link", "offset": 9, "length": 6, "url": "https://x.id"},
        {"type": "pre", "offset": 21, "length": 1, "language": "py"},
    ]


@pytest.mark.parametrize(
    ("text", "ok"),
    [("a" * 4096, True), ("a" * 4097, False), ("📰" * 2048, True), ("📰" * 2049, False),
     ("<b>" + "a" * 4096 + "</b>", True), ("<b></b> ", False)],
)
async def test_text_length_counts_utf16_after_parsing(telegram_server: TelegramTestServer, text: str, ok: bool) -> None:
    telegram_server.add_chat(CHAT)
    status, body = await post(telegram_server, "sendMessage", chat_id=CHAT, text=text, parse_mode="HTML")
    assert body["ok"] is ok
    if not ok:
        assert status == 400
        assert body["description"] in ("Bad Request: message is too long", "Bad Request: message text is empty")


async def test_callback_data_and_caption_limits(telegram_server: TelegramTestServer) -> None:
    telegram_server.add_chat(CHAT)
    for data, ok in (("x" * 64, True), ("x" * 65, False), ("é" * 33, False)):
        markup = {"inline_keyboard": [[{"text": "Tombol", "callback_data": data}]]}
        status, body = await post(telegram_server, "sendMessage", chat_id=CHAT, text="pilih", reply_markup=markup)
        assert body["ok"] is ok, data
        assert ok or body["description"] == "Bad Request: BUTTON_DATA_INVALID"
    status, body = await post(telegram_server, "sendDocument", chat_id=CHAT, document="https://x.id/a.pdf",
                              caption="c" * 1025)
    assert status == 400 and body["description"] == "Bad Request: message caption is too long"


async def test_get_updates_offset_and_long_poll(telegram_server: TelegramTestServer) -> None:
    first = telegram_server.push_message(CHAT, CHAT, "satu")["update_id"]
    second = telegram_server.push_sticker(CHAT, CHAT)["update_id"]
    _, body = await post(telegram_server, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [first, second]
    _, body = await post(telegram_server, "getUpdates", offset=second)  # confirms `first`
    assert [u["update_id"] for u in body["result"]] == [second]
    poll = asyncio.create_task(post(telegram_server, "getUpdates", offset=second + 1, timeout=5))
    await telegram_server.wait_for("getUpdates", count=3)
    voice = telegram_server.push_voice(CHAT, CHAT)
    _, body = await asyncio.wait_for(poll, 2)
    assert body["result"] == [voice] and body["result"][0]["message"]["voice"]["duration"] == 3


async def test_fault_injection(telegram_server: TelegramTestServer) -> None:
    telegram_server.stall_next("getMe", 0.3)
    telegram_server.fail_next("getMe", status=502)
    telegram_server.drop_next("getMe")
    started = asyncio.get_running_loop().time()
    assert (await post(telegram_server, "getMe"))[0] == 200
    assert asyncio.get_running_loop().time() - started >= 0.3
    assert (await post(telegram_server, "getMe"))[0] == 502
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await post(telegram_server, "getMe")
    assert [c.status for c in telegram_server.calls("getMe")] == [200, 502, 0]
    assert (await post(telegram_server, "getMe"))[0] == 200
