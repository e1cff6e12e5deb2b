"""A small but real Telegram Bot API server for end-to-end tests.

The bot under test talks to it over HTTP exactly as it would talk to api.telegram.org::

    async with TelegramTestServer() as server:
        app = Application.builder().token(server.token).base_url(server.base_url).base_file_url(server.base_file_url).build()
        ...  # start polling
        server.push_message(chat_id=42, user_id=42, text="/start")
        [reply] = await server.wait_for("sendMessage")

It simulates a tiny Telegram (chats, messages, the update queue), validates requests the way
Telegram does (HTML parse mode, lengths, callback data), records every call and injects faults.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
from collections import defaultdict, deque
from contextlib import suppress
from dataclasses import dataclass
from html.parser import HTMLParser
from inspect import isawaitable
from typing import Any, Callable, NoReturn

from aiohttp import web

Json = dict[str, Any]
DEFAULT_TOKEN = "7000000001:AAtanyaBeritaTestTokenForLocalServer"
MAX_TEXT, MAX_CAPTION, MAX_CALLBACK_DATA = 4096, 1024, 64
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
FAULT_DESCRIPTIONS = {400: "Bad Request: injected failure", 403: "Forbidden: bot was blocked by the user", 409: CONFLICT,
                      429: "Too Many Requests: retry after {retry_after}", 500: "Internal Server Error", 502: "Bad Gateway"}
# Form fields that stay strings; every other form field is JSON-decoded when it parses (ints, bools, objects).
_TEXT_FIELDS = {"text", "caption", "parse_mode", "callback_query_id", "url", "action", "language_code", "secret_token",
                "ip_address", "inline_message_id", "business_connection_id", "file_id"}
_AUTO_ENTITY = re.compile(r"(?<![\w/@])(/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?|@[A-Za-z0-9_]{5,32})")


@dataclass
class Call:
    """One recorded request; `status` and `response` stay None until it is answered (status 0: dropped)."""

    method: str
    params: Json
    time: float  # time.monotonic() at arrival
    status: int | None = None
    response: Json | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return (self.response or {}).get("result")


@dataclass
class UploadedFile:
    """A multipart file part as received, e.g. the `document` of sendDocument."""

    filename: str
    content: bytes
    content_type: str


@dataclass
class _Fault:
    kind: str  # "fail", "stall" or "drop"
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    seconds: float = 0.0


class ApiError(Exception):
    """A Bot API error reply: {"ok": false, "error_code": status, "description": ...}."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> Json:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def snapshot(message: Json) -> Json:
    """A copy of a message for an update or a reply, unaffected by later edits; replies nest one level deep."""
    copied = copy.deepcopy(message)
    copied.get("reply_to_message", {}).pop("reply_to_message", None)
    return copied


def detect_entities(text: str) -> list[Json]:
    """The bot_command and mention entities Telegram attaches to a user's `text`."""
    return [{"type": "bot_command" if m.group().startswith("/") else "mention",
             "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())} for m in _AUTO_ENTITY.finditer(text)]


class TelegramHTML(HTMLParser):
    """parse_mode=HTML as Telegram parses it: `TelegramHTML.parse(html)` -> (plain text, entities), or ApiError."""

    TYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
             "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "a": "text_link", "code": "code",
             "pre": "pre", "blockquote": "blockquote", "tg-spoiler": "spoiler", "span": "spoiler", "tg-emoji": "custom_emoji"}
    ATTRIBUTES = {"a": {"href"}, "code": {"class"}, "span": {"class"}, "tg-emoji": {"emoji-id"}, "blockquote": {"expandable"}}
    NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text = ""
        self.open: list[tuple[str, Json, int]] = []  # (tag, attributes, UTF-16 offset where it starts)
        self.entities: list[Json] = []

    @classmethod
    def parse(cls, html: str) -> tuple[str, list[Json]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        if parser.open:
            parser.fail(f'Can\'t find end tag corresponding to start tag "{parser.open[-1][0]}"')
        return parser.text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))

    def fail(self, reason: str) -> NoReturn:
        line, column = self.getpos()
        raise ApiError(400, f"Bad Request: can't parse entities: {reason} (line {line}, column {column})")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.TYPES:
            self.fail(f'Unsupported start tag "{tag}"')
        attributes = dict(attrs)
        for name in attributes.keys() - self.ATTRIBUTES.get(tag, set()):
            self.fail(f'Unsupported attribute "{name}" in tag "{tag}"')
        css = attributes.get("class") or ""
        if (tag == "span" and css != "tg-spoiler") or (tag == "code" and css and not css.startswith("language-")):
            self.fail(f'Unsupported class "{css}" in tag "{tag}"')
        if tag == "tg-emoji" and not attributes.get("emoji-id"):
            self.fail('Tag "tg-emoji" must have attribute "emoji-id"')
        self.open.append((tag, attributes, utf16_len(self.text)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            self.fail(f'Unexpected end tag "</{tag}>"')
        opened, attributes, start = self.open.pop()
        if opened != tag:
            self.fail(f'Unmatched end tag, expected "</{opened}>", found "</{tag}>"')
        if tag == "code" and self.open and self.open[-1][0] == "pre" and attributes.get("class"):
            self.open[-1][1]["language"] = attributes["class"].removeprefix("language-")
            return  # <pre><code class="language-x"> becomes one pre entity with a language
        entity: Json = {"type": self.TYPES[tag], "offset": start, "length": utf16_len(self.text) - start}
        if tag == "a":
            entity["url"] = attributes.get("href") or ""
        elif tag == "pre" and "language" in attributes:
            entity["language"] = attributes["language"]
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes["emoji-id"]
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        if entity["length"]:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        if "<" in data or "&" in data:  # html.parser hands over a bare "<" or "&" as data
            self.fail(f'Unescaped "{"<" if "<" in data else "&"}", use &lt; or &amp;')
        self.text += data

    def handle_entityref(self, name: str) -> None:
        if name not in self.NAMED:
            self.fail(f'Unsupported HTML entity "&{name};"')
        self.text += self.NAMED[name]

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            self.fail(f'Invalid numeric HTML entity "&#{name};"')
        self.text += chr(code)

    def unknown_decl(self, data: str) -> None:
        self.fail("Comments and declarations are not supported")

    handle_comment = handle_decl = handle_pi = unknown_decl


class FakeTelegram:
    """The simulated Telegram world: the bot, chats, messages, files and the update queue, plus update builders."""

    def __init__(self, token: str, username: str, first_name: str) -> None:
        self.token = token
        self.bot: Json = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": first_name, "username": username}
        self.chats: dict[int, Json] = {}
        self.messages: dict[tuple[int, int], Json] = {}  # (chat_id, message_id) -> Message, bot's and users'
        self.updates: list[Json] = []  # not yet confirmed through the getUpdates offset
        self.webhook: Json = {}  # the parameters of the last setWebhook
        self.commands: dict[tuple[str, str], list[Json]] = {}  # (scope as JSON, language_code) -> BotCommands
        self.callback_ids: set[str] = set()  # issued and not yet answered
        self.closing = False
        self._ids = itertools.count(1)
        self._message_ids: defaultdict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._updates_changed = asyncio.Event()
        self._poll_generation = 0

    def add_chat(self, chat_id: int, chat_type: str = "private", title: str | None = None,
                 username: str | None = None, first_name: str | None = None) -> Json:
        """Make a chat known (pushing a message does this); the bot gets 400 "chat not found" for unknown chats."""
        chat: Json = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat.update(first_name=first_name or f"User{chat_id}", username=username or f"user{chat_id}")
        else:
            chat["title"] = title or f"Grup {chat_id}"
        return self.chats.setdefault(chat_id, chat)

    def store_message(self, chat_id: int, sender: Json, message_id: int | None = None, **content: Any) -> Json:
        """Create and keep a message in a known chat; message_id increases per chat."""
        message = {"message_id": message_id or next(self._message_ids[chat_id]), "from": sender,
                   "chat": self.chats[chat_id], "date": int(time.time()), **content}
        self.messages[chat_id, message["message_id"]] = message
        return message

    def new_file(self, size: int, **fields: Any) -> Json:
        """A file object (document, voice, ...) with a fresh file_id."""
        number = next(self._ids)
        return {"file_id": f"file-{number}-{self.bot['id']}", "file_unique_id": f"u{number}", "file_size": size, **fields}

    def push_update(self, update: Json) -> Json:
        """Queue a raw update for getUpdates (an increasing update_id is added when missing)."""
        update.setdefault("update_id", 100_000 + next(self._ids))
        self.updates.append(update)
        self._wake_pollers()
        return update

    def push_message(self, chat_id: int, user_id: int, text: str, chat_type: str = "private", entities: list[Json] | None = None,
                     reply_to_bot: bool = False, username: str | None = None, first_name: str | None = None) -> Json:
        """A user's text message; bot_command and mention entities are detected when `entities` is None."""
        content: Json = {"text": text, "entities": detect_entities(text) if entities is None else entities}
        if reply_to_bot:
            content["reply_to_message"] = snapshot(self._bot_message(chat_id))
        return self._push_user_message(chat_id, user_id, chat_type, username, first_name, content)

    def push_mention(self, chat_id: int, user_id: int, text: str = "apa kabar?", chat_type: str = "group", **sender: Any) -> Json:
        """A group message mentioning the bot; "@<bot username> " is prepended unless `text` has it."""
        mention = f"@{self.bot['username']}"
        return self.push_message(chat_id, user_id, text if mention in text else f"{mention} {text}", chat_type, **sender)

    def push_sticker(self, chat_id: int, user_id: int, emoji: str = "👍", chat_type: str = "private", **sender: Any) -> Json:
        sticker = self.new_file(4096, width=512, height=512, emoji=emoji, type="regular", is_animated=False, is_video=False)
        return self._push_user_message(chat_id, user_id, chat_type, content={"sticker": sticker}, **sender)

    def push_photo(self, chat_id: int, user_id: int, caption: str | None = None, chat_type: str = "private", **sender: Any) -> Json:
        photo = {"photo": [self.new_file(52_000, width=800, height=600)], "caption": caption}
        return self._push_user_message(chat_id, user_id, chat_type, content=photo, **sender)

    def push_voice(self, chat_id: int, user_id: int, duration: int = 3, chat_type: str = "private", **sender: Any) -> Json:
        voice = self.new_file(duration * 2000, duration=duration, mime_type="audio/ogg")
        return self._push_user_message(chat_id, user_id, chat_type, content={"voice": voice}, **sender)

    def push_edited_message(self, chat_id: int, message_id: int, text: str) -> Json:
        """The user edits an earlier pushed message to `text`."""
        message = self.messages[chat_id, message_id]
        message.update(text=text, edit_date=int(time.time()))
        message.pop("entities", None)
        if entities := detect_entities(text):
            message["entities"] = entities
        return self.push_update({"edited_message": snapshot(message)})

    def push_callback_query(self, chat_id: int, user_id: int, message_id: int | None, data: str,
                            username: str | None = None, first_name: str | None = None) -> Json:
        """A press on an inline button of the bot's message `message_id` (None: its latest) in the chat."""
        query_id = str(4_000_000_000 + next(self._ids))
        self.callback_ids.add(query_id)
        return self.push_update({"callback_query": {
            "id": query_id, "from": self._user(user_id, username, first_name), "chat_instance": f"ci{chat_id}",
            "message": snapshot(self._bot_message(chat_id, message_id)), "data": data}})

    async def wait_updates(self, offset: int, limit: int, timeout: float) -> list[Json]:
        """getUpdates: forget updates before `offset`, then long-poll up to `timeout` seconds for new ones."""
        if offset < 0:
            self.updates = self.updates[offset:]
        elif offset:
            self.updates = [update for update in self.updates if update["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # like Telegram, a new getUpdates terminates a waiting one with 409
        deadline = asyncio.get_running_loop().time() + timeout
        while generation == self._poll_generation:
            remaining = deadline - asyncio.get_running_loop().time()
            if self.updates or self.closing or remaining <= 0:
                return self.updates[: min(max(limit, 1), 100)]
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._updates_changed.wait(), remaining)
        raise ApiError(409, CONFLICT)

    def _wake_pollers(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    @staticmethod
    def _user(user_id: int, username: str | None, first_name: str | None) -> Json:
        return {"id": user_id, "is_bot": False, "first_name": first_name or f"User{user_id}",
                "username": username or f"user{user_id}", "language_code": "id"}

    def _push_user_message(self, chat_id: int, user_id: int, chat_type: str, username: str | None = None,
                           first_name: str | None = None, content: Json | None = None) -> Json:
        sender = self._user(user_id, username, first_name)
        self.add_chat(chat_id, chat_type, username=sender["username"], first_name=sender["first_name"])
        message = self.store_message(chat_id, sender, **{key: value for key, value in (content or {}).items() if value})
        return self.push_update({"message": snapshot(message)})

    def _bot_message(self, chat_id: int, message_id: int | None = None) -> Json:
        """The bot's message `message_id` (or its latest) in the chat; made up if the bot never sent one."""
        for (chat, number), message in reversed(self.messages.items()):
            if chat == chat_id and message["from"]["id"] == self.bot["id"] and message_id in (None, number):
                return message
        self.add_chat(chat_id, "private" if chat_id > 0 else "group")
        return self.store_message(chat_id, self.bot, message_id, text="Pesan sebelumnya dari bot")


class BotApi:
    """The Bot API methods: each takes the decoded parameters and returns the `result` or raises ApiError."""

    METHODS = ("getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "setMyCommands", "getMyCommands",
               "deleteMyCommands", "sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
               "sendChatAction", "sendDocument", "deleteMessage", "close", "logOut")

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg

    def getMe(self, p: Json) -> Json:
        return {**self.tg.bot, "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False,
                "can_connect_to_business": False, "has_main_web_app": False}

    async def getUpdates(self, p: Json) -> list[Json]:
        if self.tg.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        return await self.tg.wait_updates(int(p.get("offset") or 0), int(p.get("limit") or 100), float(p.get("timeout") or 0))

    def setWebhook(self, p: Json) -> bool:
        self.deleteWebhook(p)
        self.tg.webhook = dict(p) if p.get("url") else {}
        return True

    def deleteWebhook(self, p: Json) -> bool:
        self.tg.webhook = {}
        if p.get("drop_pending_updates"):
            self.tg.updates.clear()
        return True

    def getWebhookInfo(self, p: Json) -> Json:
        return {"url": self.tg.webhook.get("url", ""), "has_custom_certificate": "certificate" in self.tg.webhook,
                "pending_update_count": len(self.tg.updates)}

    def setMyCommands(self, p: Json) -> bool:
        commands = p.get("commands") or []
        if len(commands) > 100 or not all(re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", "")) for c in commands):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.tg.commands[self._scope(p)] = commands
        return True

    def getMyCommands(self, p: Json) -> list[Json]:
        return self.tg.commands.get(self._scope(p), [])

    def deleteMyCommands(self, p: Json) -> bool:
        self.tg.commands.pop(self._scope(p), None)
        return True

    def sendMessage(self, p: Json) -> Json:
        chat_id = self._chat_id(p)
        text, entities = self._formatted(p, "text", "entities", MAX_TEXT)
        return self._send(chat_id, p, {"text": text, "entities": entities})

    def editMessageText(self, p: Json) -> Json:
        message = self._message(p, "message to edit not found")
        text, entities = self._formatted(p, "text", "entities", MAX_TEXT)
        markup = self._inline_keyboard(p)  # like Telegram, an edit without reply_markup removes the keyboard
        if (text, entities, markup) == (message.get("text"), message.get("entities"), message.get("reply_markup")):
            raise ApiError(400, NOT_MODIFIED)
        return self._edit(message, text=text, entities=entities, reply_markup=markup)

    def editMessageReplyMarkup(self, p: Json) -> Json:
        message = self._message(p, "message to edit not found")
        if (markup := self._inline_keyboard(p)) == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        return self._edit(message, reply_markup=markup)

    def answerCallbackQuery(self, p: Json) -> bool:
        if str(p.get("callback_query_id")) not in self.tg.callback_ids:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.tg.callback_ids.remove(str(p["callback_query_id"]))
        return True

    def sendChatAction(self, p: Json) -> bool:
        self._chat_id(p)
        return True

    def sendDocument(self, p: Json) -> Json:
        chat_id, document = self._chat_id(p), p.get("document")
        if isinstance(document, UploadedFile):
            file = self.tg.new_file(len(document.content), file_name=document.filename, mime_type=document.content_type)
        elif isinstance(document, str) and document:  # a file_id or an HTTP URL
            file = self.tg.new_file(0, file_name=document.rsplit("/", 1)[-1])
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption, entities = self._formatted(p, "caption", "caption_entities", MAX_CAPTION)
        return self._send(chat_id, p, {"document": file, "caption": caption or None, "caption_entities": entities})

    def deleteMessage(self, p: Json) -> bool:
        if self.tg.messages.pop((self._chat_id(p), int(p.get("message_id") or 0)), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def close(self, p: Json) -> bool:
        return True

    logOut = close

    def _chat_id(self, p: Json) -> int:
        chat_id = p.get("chat_id")
        if chat_id in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, str):  # "@username" or a number sent as a JSON string
            chat_id = int(chat_id) if chat_id.lstrip("-").isdigit() else next(
                (c["id"] for c in self.tg.chats.values() if f"@{c.get('username')}" == chat_id), 0)
        if chat_id not in self.tg.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _message(self, p: Json, missing: str) -> Json:
        if (message := self.tg.messages.get((self._chat_id(p), int(p.get("message_id") or 0)))) is None:
            raise ApiError(400, f"Bad Request: {missing}")
        return message

    @staticmethod
    def _formatted(p: Json, key: str, entities_key: str, limit: int) -> tuple[str, list[Json] | None]:
        """The plain text and entities of `text`/`caption` after parsing, checked against Telegram's limits."""
        raw = str(p.get(key) or "")
        text, entities = TelegramHTML.parse(raw) if str(p.get("parse_mode")).lower() == "html" else (raw, p.get(entities_key))
        if key == "text" and not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > limit:
            raise ApiError(400, f"Bad Request: message {'is' if key == 'text' else 'caption is'} too long")
        return text, entities or None

    @staticmethod
    def _inline_keyboard(p: Json) -> Json | None:
        """reply_markup after validation; only inline keyboards are echoed back in the Message, as in Telegram."""
        markup = p.get("reply_markup") or {}
        for button in itertools.chain.from_iterable(markup.get("inline_keyboard", [])):
            if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup if "inline_keyboard" in markup else None

    def _send(self, chat_id: int, p: Json, content: Json) -> Json:
        content["reply_markup"] = self._inline_keyboard(p)
        reply_to = (p.get("reply_parameters") or {}).get("message_id") or p.get("reply_to_message_id")
        if reply_to and (chat_id, int(reply_to)) in self.tg.messages:
            content["reply_to_message"] = snapshot(self.tg.messages[chat_id, int(reply_to)])
        message = self.tg.store_message(chat_id, self.tg.bot, **{k: v for k, v in content.items() if v is not None})
        return snapshot(message)

    @staticmethod
    def _edit(message: Json, **changes: Any) -> Json:
        """Apply an edit in place; a None value removes the field (e.g. the keyboard)."""
        for key, value in {**changes, "edit_date": int(time.time())}.items():
            message[key] = value
            if value is None:
                del message[key]
        return snapshot(message)

    @staticmethod
    def _scope(p: Json) -> tuple[str, str]:
        return json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True), str(p.get("language_code") or "")


class TelegramTestServer(FakeTelegram):
    """A FakeTelegram served over HTTP on 127.0.0.1 (free port), with call recording and fault injection."""

    def __init__(self, token: str = DEFAULT_TOKEN, username: str = "TanyaBeritaBot", first_name: str = "Tanya Berita") -> None:
        super().__init__(token, username, first_name)
        self.api = BotApi(self)
        self.port = 0
        self._methods = {name.lower(): name for name in BotApi.METHODS}  # like Telegram, method names ignore case
        self._calls: list[Call] = []
        self._calls_changed = asyncio.Event()
        self._faults: defaultdict[str, deque[_Fault]] = defaultdict(deque)
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Give it to PTB so nothing reaches api.telegram.org; file downloads are not served (404)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving; pending long polls and stalls are answered at once."""
        self.closing = True
        self._stopping.set()
        self._wake_pollers()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> TelegramTestServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def calls(self, method: str | None = None) -> list[Call]:
        """The recorded calls (of one method), in arrival order."""
        return [call for call in self._calls if method is None or call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0,
                       predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        """Wait until at least `count` calls of `method` matching `predicate` arrived; returns all matches.

        Calls are checked on arrival and again when answered; a stalled call or a waiting long poll has no status yet.
        """
        async def matches() -> list[Call]:
            while len(found := [c for c in self.calls(method) if predicate is None or predicate(c)]) < count:
                await self._calls_changed.wait()
            return found

        try:
            return await asyncio.wait_for(matches(), timeout)
        except asyncio.TimeoutError:
            seen = [(call.method, call.status) for call in self._calls if call.method != "getUpdates"]
            raise TimeoutError(f"no {count} x {method} within {timeout}s; calls besides getUpdates: {seen}") from None

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, times: int = 1, description: str | None = None) -> None:
        """The next `times` calls of `method` fail with `status`; a 429 carries parameters.retry_after."""
        text = description or FAULT_DESCRIPTIONS.get(status, "Injected failure").format(retry_after=retry_after)
        self._faults[method.lower()].extend([_Fault("fail", status, text, retry_after if status == 429 else None)] * times)

    def stall_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` are answered only after `seconds`."""
        self._faults[method.lower()].extend([_Fault("stall", seconds=seconds)] * times)

    def drop_next(self, method: str, times: int = 1) -> None:
        """The next `times` calls of `method` have their connection closed without any response."""
        self._faults[method.lower()].extend([_Fault("drop")] * times)

    def _record(self, call: Call, status: int | None = None, response: Json | None = None) -> None:
        """Record a call on arrival (no status yet) and again when it is answered."""
        if status is None:
            self._calls.append(call)
        call.status, call.response = status, response
        self._calls_changed.set()
        self._calls_changed = asyncio.Event()

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response(401, ApiError(401, "Unauthorized").body())
        name = request.match_info["method"]
        call = Call(self._methods.get(name.lower(), name), await _read_params(request), time.monotonic())
        self._record(call)
        fault = self._faults[name.lower()].popleft() if self._faults[name.lower()] else _Fault("none")
        if fault.kind == "stall":
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), fault.seconds)
        if fault.kind == "drop":
            if request.transport:
                request.transport.close()
            self._record(call, 0, None)
            return web.Response(status=204)  # never reaches the client
        try:
            if fault.kind == "fail":
                raise ApiError(fault.status, fault.description, fault.retry_after)
            if name.lower() not in self._methods:  # real Telegram says 404, which PTB would take for a bad token
                raise ApiError(400, f"Bad Request: method {name} not found")
            result = getattr(self.api, self._methods[name.lower()])(call.params)
            self._record(call, 200, {"ok": True, "result": await result if isawaitable(result) else result})
        except ApiError as error:
            self._record(call, error.status, error.body())
        return _json_response(call.status, call.response)


def _json_response(status: int, body: Any) -> web.Response:
    return web.Response(status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json")


async def _read_params(request: web.Request) -> Json:
    """Query plus JSON, form-encoded or multipart parameters; form values are decoded like Telegram does."""
    if request.content_type == "application/json":
        return {**_decode_form(request.query), **(await request.json() if request.body_exists else {})}
    return _decode_form({**request.query, **(await request.post())})


def _decode_form(fields: Any) -> Json:
    params: Json = {}
    for name, value in fields.items():
        if isinstance(value, web.FileField):
            params[name] = UploadedFile(value.filename, value.file.read(), value.content_type)
        elif name in _TEXT_FIELDS:
            params[name] = value
        else:
            try:
                params[name] = json.loads(value)
            except ValueError:
                params[name] = value
    return params
