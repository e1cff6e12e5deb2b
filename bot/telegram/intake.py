"""Durable intake: a question is in the answer log before Telegram is told it was received.

PTB's Updater awaits `update_queue.put(update)` for every fetched update before its next
getUpdates call, and only that next call confirms the updates to Telegram (the webhook
handler likewise puts before answering 200). Logging inside `put` therefore closes the gap
where a crash could lose a question: either it is logged (and answered after a restart), or
it was never confirmed (and Telegram delivers it again).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.answer_log import AnswerLog
from bot.question_input import MAX_QUESTION_CHARS, normalise_question

logger = logging.getLogger(__name__)

Recorder = Callable[[Update], Awaitable[None]]


class LoggedUpdateQueue(asyncio.Queue):
    """The Application's update queue; `record` runs (and must succeed) before an update is queued."""

    def __init__(self) -> None:
        super().__init__()
        self.record: Recorder | None = None

    async def put(self, item) -> None:
        if self.record is not None and isinstance(item, Update):
            await self.record(item)
        await super().put(item)


def addressed_question(message: Message, username: str, bot_id: int) -> str | None:
    """The question in a group message meant for the bot, without the mention; None otherwise."""
    text = message.text or ""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    mention = f"@{username}".lower()
    for value in message.parse_entities([MessageEntity.MENTION]).values():
        if value.lower() == mention:
            return re.sub(re.escape(value), " ", text, flags=re.IGNORECASE).strip(" ,:")
    for entity in message.entities:
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return text
    return None


def command_arguments(message: Message, command: str, username: str) -> str | None:
    """The text after `/command` (or `/command@ThisBot`); None for other commands."""
    match = re.match(r"/(\w+)(?:@(\w+))?(?:\s+|$)", message.text or "")
    if not match or match[1].lower() != command or (match[2] and match[2].lower() != username.lower()):
        return None
    return (message.text or "")[match.end():]


def question_of(update: Update, bot: Bot) -> str | None:
    """The question an update asks the bot, exactly as the handlers will read it; None if none."""
    message = update.message
    if message is None or message.text is None:
        return None
    if message.text.startswith("/"):
        return command_arguments(message, "tanya", bot.username)
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    return addressed_question(message, bot.username, bot.id)


def log_text(question: str) -> str:
    """What the log keeps of a question: normalised, or a bounded prefix of unusable input."""
    return normalise_question(question) or question[: MAX_QUESTION_CHARS * 4]


def update_key(update: Update) -> str:
    """This exact update: the bot's id (getMe), the update id and the message it carries.

    Telegram redelivers an unconfirmed update unchanged, so a redelivery has the same key. Update
    and message ids alone repeat: a new token or a self-hosted Bot API server starts new
    sequences, and after a week without updates Telegram picks the next id at random. A new
    update matching an old key would need the same bot, update id, chat, message id, text and
    the same second (the message date): nothing Telegram shows would tell it from a redelivery.
    """
    message = update.effective_message
    digest = hashlib.sha256((message.text or "").encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return (f"{update.get_bot().id}:{update.update_id}:{message.chat_id}:{message.message_id}"
            f":{int(message.date.timestamp())}:{digest}")


async def log_incoming(log: AnswerLog, update: Update, question: str) -> int:
    """The question's id in the answer log; a redelivered update keeps its first id."""
    message, user = update.effective_message, update.effective_user
    return await log.log_question(
        channel="telegram", chat_id=message.chat_id, user_id=user.id if user else None,
        message_id=message.message_id, update_id=update.update_id, text=log_text(question),
        update_key=update_key(update))
