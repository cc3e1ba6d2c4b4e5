"""A client of the Agents Playground's own HTTP and WebSocket API.

It acts as the Teams client would: sends messages, submits and executes cards, and
collects what the bot sends back over the Playground's conversation stream.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Message:
    id: str
    text: str
    cards: list[dict[str, Any]]


@dataclass
class Playground:
    base_url: str
    http: aiohttp.ClientSession
    conversation_id: str = ""
    user_id: str = ""
    inbox: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)
    _reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async with self.http.get(f"{self.base_url}/_internal/v1/testConfig") as answer:
            config = (await answer.json())["config"]
        self.conversation_id = config["personalChat"]["id"]
        self.user_id = config["currentUser"]["id"]
        self.config = config
        ws = await self.http.ws_connect(
            f"{self.base_url}/_ws_conversation/v1/conversations/stream"
        )
        self._reader = asyncio.create_task(self._read(ws))

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            event = frame.json()
            if event.get("action") not in ("createMessage", "updateMessage"):
                continue
            message = event.get("message") or {}
            if (message.get("from") or {}).get("id") == self.user_id:
                continue
            cards = [
                attachment["content"]
                for attachment in message.get("attachments") or []
                if attachment.get("contentType")
                == "application/vnd.microsoft.card.adaptive"
            ]
            await self.inbox.put(
                Message(str(message.get("messageId")), message.get("text") or "", cards)
            )

    async def install(self) -> None:
        url = f"{self.base_url}/_debug/conversation/{self.conversation_id}/installation"
        async with self.http.post(url, json={}) as answer:
            answer.raise_for_status()

    async def say(self, text: str) -> None:
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

    async def submit(self, message: Message, value: dict[str, Any]) -> None:
        body = {
            "conversation": {"id": self.conversation_id},
            "replyToId": message.id,
            "value": value,
            "from": {"id": self.user_id},
        }
        url = f"{self.base_url}/_conversation/v1/submit"
        async with self.http.post(url, json=body) as answer:
            answer.raise_for_status()

    async def execute(
        self, message: Message, verb: str, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Run an Action.Execute; returns the HTTP status and the bot's invoke body."""
        body = {
            "name": "adaptiveCard/action",
            "conversation": {"id": self.conversation_id},
            "replyToId": message.id,
            "from": {"id": self.user_id},
            "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data}},
        }
        url = f"{self.base_url}/_conversation/v1/invoke"
        async with self.http.post(url, json=body) as answer:
            return answer.status, await answer.json(content_type=None)

    async def act_as(self, user: dict[str, Any], text: str) -> None:
        """Send a message as another Playground user (a trainer, another school)."""
        url = f"{self.base_url}/_internal/v1/customActivities/template"
        params = {"conversationId": self.conversation_id, "type": "message"}
        async with self.http.get(url, params=params) as answer:
            activity = await answer.json(content_type=None)
        activity = activity.get("activity", activity)
        activity["text"] = text
        activity["from"] = {
            "id": user["id"],
            "name": user["name"],
            "aadObjectId": user["aadObjectId"],
        }
        url = f"{self.base_url}/_internal/v1/customActivities"
        async with self.http.post(url, json=activity) as answer:
            answer.raise_for_status()

    async def next_message(self, timeout: float = 10) -> Message:
        return await asyncio.wait_for(self.inbox.get(), timeout)

    async def next_card(self, timeout: float = 10) -> tuple[Message, dict[str, Any]]:
        while True:
            message = await self.next_message(timeout)
            if message.cards:
                return message, message.cards[0]
