"""A client of the Agents Playground's own HTTP and WebSocket API.

It acts as the Teams client would: sends messages, submits and executes cards, and
collects what the bot sends back over the Playground's conversation stream.

Card helpers at the bottom read a received card the way a user reads it: the text
shown, the buttons by their title, the inputs by their id.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

CARD_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass
class Message:
    id: str
    text: str
    cards: list[dict[str, Any]]
    sender: str = ""


@dataclass
class Playground:
    """One Teams client: the current user's personal chat with the bot.

    Every activity sent to the bot (`say`, `submit`, `act_as`, `install`) waits,
    unless `wait=False`, until the bot has answered the Playground's POST: the
    Playground's log stream reports it. The turn is then complete, state saved and
    replies in `inbox`, as for a person who reads the answer before acting again.
    """

    base_url: str
    http: aiohttp.ClientSession
    conversation_id: str = ""
    user_id: str = ""
    bot_id: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    inbox: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)
    turn_timeout: float = 15
    _sockets: list[aiohttp.ClientWebSocketResponse] = field(default_factory=list)
    _readers: list[asyncio.Task[None]] = field(default_factory=list)
    _turns_done: list[dict[str, Any]] = field(default_factory=list)
    _answers: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    _turn_ended: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def start(self) -> None:
        async with self.http.get(f"{self.base_url}/_internal/v1/testConfig") as answer:
            answer.raise_for_status()
            config = (await answer.json())["config"]
        self.conversation_id = config["personalChat"]["id"]
        self.user_id = config["currentUser"]["id"]
        self.bot_id = config["bot"]["id"]
        self.config = config
        for path, read in (
            ("/_ws_conversation/v1/conversations/stream", self._read),
            ("/_ws/log/stream", self._read_log),
        ):
            ws = await self.http.ws_connect(f"{self.base_url}{path}")
            self._sockets.append(ws)
            self._readers.append(asyncio.create_task(read(ws)))

    async def close(self) -> None:
        for reader in self._readers:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        for ws in self._sockets:
            await ws.close()

    def user(self, user_id: str) -> dict[str, Any]:
        """A Playground user by id (`user-id-0` is the current user)."""
        users = [self.config["currentUser"], *self.config["users"]]
        return next(user for user in users if user["id"] == user_id)

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            event = frame.json()
            if event.get("action") not in ("createMessage", "updateMessage"):
                continue
            message = event.get("message") or {}
            sender = (message.get("from") or {}).get("id") or ""
            # Only what the bot sends; echoes of what users typed are not replies.
            if self.bot_id and sender != self.bot_id:
                continue
            cards = [
                attachment["content"]
                for attachment in message.get("attachments") or []
                if attachment.get("contentType") == CARD_TYPE
            ]
            await self.inbox.put(
                Message(
                    str(message.get("messageId")),
                    message.get("text") or "",
                    cards,
                    sender,
                )
            )

    async def _read_log(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Note each activity the bot has answered (its turn is over)."""
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            log = frame.json().get("log") or {}
            if log.get("to") != "User Application" or not log.get("response"):
                continue
            body = (log.get("request") or {}).get("body") or {}
            async with self._turn_ended:
                self._answers.append((body, log["response"]))
                self._turns_done.append(body)
                self._turn_ended.notify_all()

    async def _turns_since(self, since: float, count: int = 1) -> None:
        """Wait until `count` activities created after `since` have been answered.

        Entries the log stream buffered for an earlier client are older, so they
        do not count.
        """

        def done() -> bool:
            return sum(_created(body) >= since for body in self._turns_done) >= count

        async with self._turn_ended:
            await asyncio.wait_for(self._turn_ended.wait_for(done), self.turn_timeout)
            self._turns_done = [b for b in self._turns_done if _created(b) < since]

    async def install(self, *, wait: bool = True) -> None:
        """Install the app: an installationUpdate and a conversationUpdate."""
        since = _now()
        url = f"{self.base_url}/_debug/conversation/{self.conversation_id}/installation"
        async with self.http.post(url, json={}) as answer:
            answer.raise_for_status()
        if wait:
            await self._turns_since(since, 2)

    async def say(self, text: str, *, wait: bool = True) -> None:
        since = _now()
        url = (
            f"{self.base_url}/_conversation/v1/conversations/"
            f"{self.conversation_id}/messages"
        )
        body = {
            "type": "text",
            "text": text,
            "textFormat": "plain",
            "from": {"id": self.user_id},
        }
        async with self.http.post(url, json=body) as answer:
            answer.raise_for_status()
        if wait:
            await self._turns_since(since)

    async def submit(
        self, message: Message, value: dict[str, Any], *, wait: bool = True
    ) -> None:
        """An `Action.Submit`: the button's data and the card's inputs, merged."""
        since = _now()
        body = {
            "conversation": {"id": self.conversation_id},
            "replyToId": message.id,
            "value": value,
            "from": {"id": self.user_id},
        }
        url = f"{self.base_url}/_conversation/v1/submit"
        async with self.http.post(url, json=body) as answer:
            answer.raise_for_status()
        if wait:
            await self._turns_since(since)

    async def execute(
        self,
        message: Message,
        verb: str,
        data: dict[str, Any],
        user: dict[str, Any] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Run an Action.Execute; returns the HTTP status and the bot's invoke body.

        `user` (a Playground user) clicks instead of the current user.
        """
        if user is not None:
            return await self._execute_as(user, message, verb, data)
        sender = {"id": self.user_id}
        body = {
            "name": "adaptiveCard/action",
            "conversation": {"id": self.conversation_id},
            "replyToId": message.id,
            "from": sender,
            "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data}},
        }
        url = f"{self.base_url}/_conversation/v1/invoke"
        async with self.http.post(url, json=body) as answer:
            return answer.status, await answer.json(content_type=None)

    async def _execute_as(
        self,
        user: dict[str, Any],
        message: Message,
        verb: str,
        data: dict[str, Any],
    ) -> tuple[int, dict[str, Any]]:
        """Another user's invoke goes in as a custom activity, as Teams sends it."""
        # The Playground sends a custom activity with the timestamp of its template.
        since = _now()
        url = f"{self.base_url}/_internal/v1/customActivities/template"
        params = {"conversationId": self.conversation_id}
        async with self.http.get(url, params=params) as answer:
            answer.raise_for_status()
            activity = await answer.json(content_type=None)
        activity.update(
            type="invoke",
            name="adaptiveCard/action",
            replyToId=message.id,
            value={"action": {"type": "Action.Execute", "verb": verb, "data": data}},
            **{
                "from": {
                    "id": user["id"],
                    "name": user["name"],
                    "aadObjectId": user["aadObjectId"],
                }
            },
        )
        url = f"{self.base_url}/_internal/v1/customActivities"
        async with self.http.post(url, json=activity) as answer:
            answer.raise_for_status()
        await self._turns_since(since)
        response = next(
            response
            for request, response in reversed(self._answers)
            if request.get("type") == "invoke" and _created(request) >= since
        )
        return int(response.get("statusCode", 0)), response.get("body") or {}

    async def click(
        self,
        message: Message,
        button: dict[str, Any],
        *,
        user: dict[str, Any] | None = None,
        **inputs: Any,
    ) -> dict[str, Any] | None:
        """Press a card button with its own data (plus the inputs the card holds).

        `Action.Execute` answers with the card that replaces the clicked one; it is
        returned, and an answer other than 200 fails. `Action.Submit` returns None:
        the bot answers with new messages.
        """
        data = {**(button.get("data") or {}), **inputs}
        if button["type"] == "Action.Execute":
            status, body = await self.execute(message, button["verb"], data, user)
            assert status == 200, f"Action.Execute answered {status}: {body}"
            assert body.get("type") == CARD_TYPE, body
            card: dict[str, Any] = body["value"]
            return card
        assert button["type"] == "Action.Submit", button
        await self.submit(message, data)
        return None

    async def act_as(
        self,
        user: dict[str, Any],
        text: str = "",
        *,
        value: dict[str, Any] | None = None,
        reply_to: Message | None = None,
        wait: bool = True,
    ) -> None:
        """Send a message as another Playground user (a trainer, another school).

        With `value` it is what an Action.Submit of that user sends: the button's
        data and the card's inputs.
        """
        # The Playground sends a custom activity with the timestamp of its template.
        since = _now()
        url = f"{self.base_url}/_internal/v1/customActivities/template"
        # Without `type` the template is a bare activity of this conversation;
        # `message` is not one of the Playground's template types.
        params = {"conversationId": self.conversation_id}
        async with self.http.get(url, params=params) as answer:
            answer.raise_for_status()
            activity = await answer.json(content_type=None)
        activity.update(type="message", locale="en-US")
        if text:
            activity.update(text=text, textFormat="plain")
        if value is not None:
            activity["value"] = value
        if reply_to is not None:
            activity["replyToId"] = reply_to.id
        activity["from"] = {
            "id": user["id"],
            "name": user["name"],
            "aadObjectId": user["aadObjectId"],
        }
        url = f"{self.base_url}/_internal/v1/customActivities"
        async with self.http.post(url, json=activity) as answer:
            answer.raise_for_status()
        if wait:
            await self._turns_since(since)

    async def next_message(self, within: float = 10) -> Message:
        return await asyncio.wait_for(self.inbox.get(), within)

    async def next_card(self, within: float = 10) -> tuple[Message, dict[str, Any]]:
        while True:
            message = await self.next_message(within)
            if message.cards:
                return message, message.cards[0]

    async def wait_for(
        self, wanted: Callable[[Message], bool], within: float = 10
    ) -> Message:
        """The next message that `wanted` accepts; earlier ones are dropped."""

        async def first() -> Message:
            while True:
                message = await self.inbox.get()
                if wanted(message):
                    return message

        return await asyncio.wait_for(first(), within)

    async def quiet(self, seconds: float = 0.3) -> list[Message]:
        """Whatever else arrives within `seconds` (to prove nothing more came)."""
        await asyncio.sleep(seconds)
        extra = []
        while not self.inbox.empty():
            extra.append(self.inbox.get_nowait())
        return extra


def _now() -> float:
    # The Playground stamps activities in milliseconds; allow for the rounding.
    return time.time() - 0.002


def _created(activity: dict[str, Any]) -> float:
    stamp = str(activity.get("timestamp") or "")
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


# Reading cards -------------------------------------------------------------------

# Babel writes "€ 250,00" with a no-break space; a reader sees a space.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def plain(text: str) -> str:
    return text.translate(_SPACES)


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element and action of a card, depth first, in reading order."""
    if isinstance(node, list):
        for item in node:
            yield from elements(item)
        return
    if not isinstance(node, dict):
        return
    if "type" in node:
        yield node
    for key in ("body", "items", "columns", "actions", "card"):
        if key in node:
            yield from elements(node[key])


def texts(node: Any) -> list[str]:
    """What a user reads on a card: text blocks, facts, input values, buttons."""
    found: list[str] = []
    for element in elements(node):
        kind = element["type"]
        if kind == "TextBlock":
            found.append(plain(element.get("text", "")))
        elif kind == "RichTextBlock":
            runs = element.get("inlines", [])
            found.append(plain("".join(run.get("text", "") for run in runs)))
        elif kind == "FactSet":
            for fact in element.get("facts", []):
                found.extend(
                    [plain(fact.get("title", "")), plain(fact.get("value", ""))]
                )
        elif kind.startswith("Input."):
            found.extend(str(element.get(k, "")) for k in ("label", "value"))
        elif kind.startswith("Action."):
            found.append(element.get("title", ""))
    return found


def text_of(node: Any) -> str:
    return "\n".join(texts(node))


def facts_of(node: Any) -> dict[str, str]:
    """Every fact of a card (or part of one): title -> value; later ones win."""
    return {
        plain(fact["title"]): plain(fact["value"])
        for element in elements(node)
        if element["type"] == "FactSet"
        for fact in element.get("facts", [])
    }


def buttons(node: Any, title: str | None = None) -> list[dict[str, Any]]:
    return [
        element
        for element in elements(node)
        if element["type"].startswith("Action.")
        and (title is None or element.get("title") == title)
    ]


def button(node: Any, title: str) -> dict[str, Any]:
    """The one button with this title; fails when there is none or several."""
    found = buttons(node, title)
    assert len(found) == 1, f"{len(found)} buttons titled {title!r} in {text_of(node)}"
    return found[0]


def containers(node: Any, heading: str) -> list[dict[str, Any]]:
    """Innermost containers whose first text block is `heading`."""
    found = []
    for element in elements(node):
        if element["type"] != "Container":
            continue
        first = next(
            (item for item in element.get("items", []) if item["type"] == "TextBlock"),
            None,
        )
        if first is not None and plain(first.get("text", "")) == heading:
            found.append(element)
    return found


def section(node: Any, heading: str, **facts: str) -> dict[str, Any]:
    """The one container headed `heading` whose facts include `facts`."""
    found = [
        container
        for container in containers(node, heading)
        if all(facts_of(container).get(k) == v for k, v in facts.items())
    ]
    assert len(found) == 1, f"{len(found)} sections {heading!r} {facts} in card"
    return found[0]


def find_input(node: Any, input_id: str) -> dict[str, Any]:
    found = [e for e in elements(node) if e.get("id") == input_id]
    assert len(found) == 1, f"{len(found)} inputs {input_id!r}"
    return found[0]


def after_input(node: Any, input_id: str) -> dict[str, Any] | None:
    """The element right after an input inside its container (where errors go)."""
    for element in elements(node):
        items = element.get("items") or element.get("body") or []
        for index, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") == input_id:
                return items[index + 1] if index + 1 < len(items) else None
    raise AssertionError(f"no input {input_id!r}")
