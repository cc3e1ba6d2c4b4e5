"""The Bot Framework adapter as the product runs it: the stock `CloudAdapter`, with
two changes at its boundary.

- botbuilder-integration-aiohttp 4.17.1 serialises an invoke body that the activity
  handler already serialised and answers 500 to every `Action.Execute`; `process`
  here writes a plain body as it is.
  TODO(botbuilder-integration-aiohttp > 4.17.1 fixes `CloudAdapter.process`): use
  the stock `process`; the Playground test of `Action.Execute` guards the change.
- A failing turn tells the user, briefly and with a reference the log carries too.

The SDK builds two msrest clients per turn, and each builds its retry settings by
testing 999 status codes against a list of 500: some 6 ms of CPU, twice a turn, on
the event loop. That list becomes a set, which gives the same retry settings.
TODO(botframework-connector moves off msrest, whose last release is 0.7.1): drop
`_quick_retry_settings`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import BotFrameworkAuthentication
from msrest.serialization import Model
from msrest.universal_http.requests import ClientRetryPolicy

from cards.common import as_payload
from cards.trainings import notice_card
from domain.texts import DEFAULT_LANGUAGE, Language, say

logger = logging.getLogger(__name__)

LANGUAGE_KEY = "presentis.language"


def _quick_retry_settings() -> None:
    policy: Any = ClientRetryPolicy
    policy.safe_codes = frozenset(policy.safe_codes)


_quick_retry_settings()


class PresentisAdapter(CloudAdapter):  # type: ignore[misc]
    def __init__(self, authentication: BotFrameworkAuthentication) -> None:
        super().__init__(authentication)
        self.on_turn_error = self._tell_user_something_went_wrong

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
