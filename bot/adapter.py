"""The Bot Framework adapter as the product runs it.

Four changes to the stock `CloudAdapter`, all at its boundary:

- botbuilder-integration-aiohttp 4.17.1 serialises an invoke body that the activity
  handler already serialised and answers 500 to every `Action.Execute`; `process`
  here writes a plain body as it is.
- The stock authentication builds a new connector client and user-token client on
  every turn (msrest then rebuilds its retry tables); they are kept per service URL
  and app id instead. Credentials still refresh their tokens themselves.
- msrest serialises a card attachment node by node (about a millisecond a card);
  the kept clients pass data that is already plain JSON through as it is.
- The kept clients send with aiohttp on the event loop instead of `requests` on a
  thread (see `bot.connector`).
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from msrest.serialization import Model, Serializer

from bot.connector import ConnectorTransport
from cards.common import as_payload
from cards.trainings import notice_card
from domain.texts import DEFAULT_LANGUAGE, Language, say

logger = logging.getLogger(__name__)

LANGUAGE_KEY = "presentis.language"
KEPT_CLIENTS = 64


_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})


class CardContent(dict[str, Any]):
    """A card as plain JSON, built for one reply and not changed after.

    `TurnContext.send_activities` deep-copies every activity it sends, and a card is
    hundreds of nodes: the copy shares this content instead. The serializer passes
    it on as it is.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> CardContent:
        return self


def _is_plain_json(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(
            type(key) is str and _is_plain_json(item) for key, item in value.items()
        )
    if kind is list:
        return all(_is_plain_json(item) for item in value)
    return kind in _PLAIN_SCALARS


class _PlainDataSerializer(Serializer):
    """msrest's serializer, without its walk through data that is plain JSON already.

    An attachment's content is an `object` to msrest, which rebuilds it node by node
    and calls `eval` for every number and flag. For dicts, lists, strings, numbers,
    booleans and None that walk returns equal data, so such data is passed on as is.

    Nor does it check each outgoing activity against the schema's constraints first
    (a third of the time a reply took to serialise): the Bot Framework's models set
    none that our replies could break, and the connector checks what it receives.
    """

    def __init__(self, classes: dict[str, type]) -> None:
        super().__init__(classes)  # type: ignore[no-untyped-call]
        self.client_side_validation = False

    def serialize_object(self, attr: Any, **kwargs: Any) -> Any:
        as_json = not kwargs.get("is_xml") and not kwargs.get("basic_types_serializers")
        if as_json and (type(attr) is CardContent or _is_plain_json(attr)):
            return attr
        return super().serialize_object(attr, **kwargs)  # type: ignore[no-untyped-call]


def _serialize_plain_data_as_is(client: ConnectorClient) -> ConnectorClient:
    # The client and each of its operation groups hold the serializer they got.
    serializer = _PlainDataSerializer(client._serialize.dependencies)
    client._serialize = serializer
    client.conversations._serialize = serializer
    client.attachments._serialize = serializer
    return client


class _KeptConnectors(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, inner: ConnectorFactory, transport: ConnectorTransport) -> None:
        self._inner = inner
        self._transport = transport
        self._clients: OrderedDict[tuple[str, str | None], ConnectorClient] = (
            OrderedDict()
        )

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            if isinstance(client, ConnectorClient):
                client = _serialize_plain_data_as_is(client)
                client.config.pipeline = self._transport.pipeline(client.config)
            self._clients[key] = client
            if len(self._clients) > KEPT_CLIENTS:
                self._clients.popitem(last=False)
        return client


def _app_id(claims_identity: ClaimsIdentity) -> str:
    claims = claims_identity.claims or {}
    return str(claims.get("aud") or claims.get("appid") or claims.get("azp") or "")


class KeptClientsAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Delegates to the SDK's authentication; keeps the clients it makes."""

    def __init__(
        self, inner: BotFrameworkAuthentication, transport: ConnectorTransport
    ) -> None:
        self._inner = inner
        self._transport = transport
        self._factories: dict[str, _KeptConnectors] = {}
        self._token_clients: dict[str, UserTokenClient] = {}

    def _factory(self, claims_identity: ClaimsIdentity) -> _KeptConnectors:
        app_id = _app_id(claims_identity)
        factory = self._factories.get(app_id)
        if factory is None:
            factory = _KeptConnectors(
                self._inner.create_connector_factory(claims_identity), self._transport
            )
            self._factories[app_id] = factory
        return factory

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._factory(result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(
            auth_header, channel_id_header
        )

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> Any:
        return self._factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        app_id = _app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[app_id] = client
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


class PresentisAdapter(CloudAdapter):  # type: ignore[misc]
    def __init__(self, authentication: BotFrameworkAuthentication) -> None:
        self.transport = ConnectorTransport()
        super().__init__(KeptClientsAuthentication(authentication, self.transport))
        self.on_turn_error = self._tell_user_something_went_wrong

    async def close(self) -> None:
        """Close the connections to the connector; call when the app stops."""
        await self.transport.close()

    async def process(self, request: web.Request, bot: Bot) -> web.Response:
        """Answer one POST from the channel; see the module docstring for why."""
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType()
        activity = Activity().deserialize(await request.json())
        if not activity.type:
            raise web.HTTPBadRequest()

        auth_header = request.headers.get("Authorization", "")
        try:
            invoke_response = await self.process_activity(
                auth_header, activity, bot.on_turn
            )
        except PermissionError as refused:
            raise web.HTTPUnauthorized() from refused

        if invoke_response is None:
            return web.Response(status=201)
        body = invoke_response.body
        if isinstance(body, Model):
            body = body.serialize()  # type: ignore[no-untyped-call]
        return web.json_response(body, status=invoke_response.status)

    async def _tell_user_something_went_wrong(
        self, context: TurnContext, error: Exception
    ) -> None:
        reference = uuid.uuid4().hex[:8]
        logger.error(
            "turn failed (reference %s, activity type %s)",
            reference,
            context.activity.type,
            exc_info=error,
        )
        language = context.turn_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
        message = say(Language(language), "failure", ref=reference)
        if context.activity.type == ActivityTypes.invoke:
            card = as_payload(notice_card(message, Language(language)))
            await context.send_activity(
                Activity(
                    type=ActivityTypes.invoke_response,
                    value=InvokeResponse(
                        status=200,
                        body={
                            "statusCode": 200,
                            "type": "application/vnd.microsoft.card.adaptive",
                            "value": card,
                        },
                    ),
                )
            )
            return
        await context.send_activity(message)
