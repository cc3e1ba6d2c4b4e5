"""The activity handler: who is talking, in which language, and which flow answers."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from botbuilder.core import (
    ActivityHandler,
    CardFactory,
    MessageFactory,
    StatePropertyAccessor,
    TurnContext,
    UserState,
)
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
)

from bot.adapter import LANGUAGE_KEY
from cards.actions import ACTION
from cards.common import as_payload
from cards.menu import menu_card
from cards.trainings import notice_card
from dialogs import router
from dialogs.turn import Reply, Turn
from domain.clock import Clock
from domain.people import Staff
from domain.texts import DEFAULT_LANGUAGE, Language, say
from store.database import Database

logger = logging.getLogger(__name__)

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
_LANGUAGES = frozenset(language.value for language in Language)


def _personal(turn_context: TurnContext) -> bool:
    """A one-to-one chat with the bot: the only place it shows anyone's data.

    The app is installed for personal use only; a group chat or channel could still
    reach it, where school names and dietary wishes would be read by all members.
    """
    conversation = turn_context.activity.conversation
    return conversation is None or conversation.conversation_type in (None, "personal")


class PresentisBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, database: Database, user_state: UserState, clock: Clock) -> None:
        self.database = database
        self.user_state = user_state
        self.clock = clock
        self.language: StatePropertyAccessor = user_state.create_property("language")
        self._known_references: dict[str, tuple[str, str]] = {}

    async def on_turn(self, turn_context: TurnContext) -> None:
        await super().on_turn(turn_context)
        await self.user_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turn = await self._turn(turn_context)
        value = turn_context.activity.value
        if not _personal(turn_context):
            reply = Reply(text=say(turn.language, "personal_only"))
        elif isinstance(value, Mapping) and isinstance(value.get(ACTION), str):
            reply = await router.answer_action(turn, value[ACTION], value)
        else:
            said = TurnContext.remove_recipient_mention(turn_context.activity) or ""
            reply = await router.answer_text(turn, said)
        await self._send(turn_context, turn, reply)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """`Action.Execute`: the card answered replaces the card clicked."""
        turn = await self._turn(turn_context)
        action = invoke_value.action if isinstance(invoke_value.action, Mapping) else {}
        data = action.get("data")
        data = dict(data) if isinstance(data, Mapping) else {}
        if _personal(turn_context):
            verb = str(action.get("verb") or "")
            reply = await router.answer_action(turn, verb, data)
        else:
            reply = Reply(text=say(turn.language, "personal_only"))
        if reply.language:
            await self._choose_language(turn_context, reply.language)
        payload = reply.card_payload() or as_payload(
            notice_card(reply.text or "", reply.language or turn.language)
        )
        return AdaptiveCardInvokeResponse(
            status_code=200, type=CARD_TYPE, value=payload
        )

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._greet(turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        # Teams announces an install twice; its installationUpdate greets.
        if turn_context.activity.channel_id == "msteams":
            return
        bot_id = turn_context.activity.recipient.id
        if any(member.id == bot_id for member in members_added):
            await self._greet(turn_context)

    async def _greet(self, turn_context: TurnContext) -> None:
        turn = await self._turn(turn_context)
        if turn.staff is None:
            await turn_context.send_activity(say(turn.language, "unknown_user"))
            return
        greeting = say(turn.language, "hello", name=turn.staff.name.split()[0])
        card = menu_card(turn.language, greeting, trainer=turn.staff.is_trainer)
        await turn_context.send_activity(
            MessageFactory.attachment(CardFactory.adaptive_card(as_payload(card)))
        )

    async def _turn(self, turn_context: TurnContext) -> Turn:
        language = await self._language_of(turn_context)
        staff = await self._who(turn_context)
        await self._remember_reference(turn_context)
        return Turn(staff, language, self.clock.now(), self.database)

    async def _language_of(self, turn_context: TurnContext) -> Language:
        stored = await self.language.get(turn_context, DEFAULT_LANGUAGE.value)
        language = Language(stored) if stored in _LANGUAGES else DEFAULT_LANGUAGE
        turn_context.turn_state[LANGUAGE_KEY] = language.value
        return language

    async def _who(self, turn_context: TurnContext) -> Staff | None:
        """The staff record, by Entra object id, else by the e-mail Teams knows."""
        sender = turn_context.activity.from_property
        aad_object_id = getattr(sender, "aad_object_id", None) if sender else None
        if aad_object_id:
            async with self.database.unit_of_work(read_only=True) as uow:
                staff = await uow.staff.by_aad_object_id(aad_object_id)
            if staff:
                return staff

        email = await self._email_of(turn_context)
        if not email:
            return None
        async with self.database.unit_of_work() as uow:
            staff = await uow.staff.by_email(email)
            if staff and aad_object_id:
                await uow.staff.link_aad_object_id(staff.id, aad_object_id)
                await uow.commit()
                logger.info("staff %s linked to their Entra object id", staff.id)
        return staff

    async def _email_of(self, turn_context: TurnContext) -> str | None:
        if turn_context.activity.channel_id != "msteams":
            return None
        try:
            member = await TeamsInfo.get_member(
                turn_context, turn_context.activity.from_property.id
            )
        except Exception:  # the roster call is a nicety; no answer means no e-mail
            logger.info("could not read the sender's e-mail from the roster")
            return None
        return getattr(member, "email", None) or getattr(
            member, "user_principal_name", None
        )

    async def _remember_reference(self, turn_context: TurnContext) -> None:
        """Store where to reach this user later; written only when it changed."""
        activity = turn_context.activity
        if activity.conversation is None or activity.from_property is None:
            return
        if activity.conversation.conversation_type not in (None, "personal"):
            return
        user_id = activity.from_property.id
        seen = (activity.service_url or "", activity.conversation.id)
        if self._known_references.get(user_id) == seen:
            return
        reference = TurnContext.get_conversation_reference(activity)
        async with self.database.unit_of_work() as uow:
            await uow.conversations.remember(
                user_id,
                activity.from_property.aad_object_id,
                reference.serialize(),
                self.clock.now(),
            )
            await uow.commit()
        self._known_references[user_id] = seen

    async def _choose_language(
        self, turn_context: TurnContext, language: Language
    ) -> None:
        """Stored before the answer goes out, so the next message already has it."""
        await self.language.set(turn_context, language.value)
        await self.user_state.save_changes(turn_context)

    async def _send(self, turn_context: TurnContext, turn: Turn, reply: Reply) -> None:
        if reply.language:
            await self._choose_language(turn_context, reply.language)
        activities: list[Activity] = []
        if reply.text:
            activities.append(MessageFactory.text(reply.text))
        payload = reply.card_payload()
        if payload is not None:
            attachment = CardFactory.adaptive_card(payload)
            activities.append(MessageFactory.attachment(attachment))
        if activities:
            await turn_context.send_activities(activities)
