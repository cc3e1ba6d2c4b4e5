"""Trainings as a teacher meets them in Teams, driven through the Agents Playground.

Each test talks to the real bot (a subprocess, today pinned to Monday 16 January
2023) through the real Playground's API, as the Teams client would: it types, presses
the buttons of the cards it received with their own data, and reads the cards back.
Tests share one database; each works on its own sessions or counts relatively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from playground import (
    Message,
    Playground,
    after_input,
    button,
    buttons,
    containers,
    elements,
    facts_of,
    find_input,
    section,
    text_of,
    texts,
)
from processes import connect

from bot.local import CONVERSATION_ID

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

ROOSTER = "Rooster tweedaagse"
ROOSTER_DAYS = "woensdag 15 maart 2023 en donderdag 16 maart 2023"
ROOSTER_DAYS_EN = "Wednesday 15 March 2023 and Thursday 16 March 2023"
SCHOOL = "Praktijkschool De Horizon"
UNKNOWN = "Ik ken je nog niet."
NOT_FOR_TEACHERS = "Dit overzicht is er alleen voor trainers."
TOO_LATE = (
    "Annuleren kon tot en met donderdag 19 januari 2023. Neem contact op met "
    "Presentis als er iets bijzonders is."
)


# What a user does -----------------------------------------------------------------


async def open_list(pg: Playground, say: str = "trainingen") -> tuple[Message, Any]:
    await pg.say(say)
    return await pg.next_card()


async def find_session(
    pg: Playground, heading: str, when: str
) -> tuple[Message, dict[str, Any], dict[str, Any]]:
    """Page through the calendar (Action.Execute) to the session; returns it too."""
    message, card = await open_list(pg)
    for _ in range(10):
        found = [
            part
            for part in containers(card, heading)
            if facts_of(part).get("Wanneer", facts_of(part).get("When")) == when
        ]
        if found:
            return message, card, found[0]
        card = await pg.click(message, button(card, "Volgende"))
    raise AssertionError(f"{heading} on {when} is not in the calendar")


def seats_left(part: dict[str, Any]) -> int:
    facts = facts_of(part)
    seats = facts.get("Plaatsen", facts.get("Seats", ""))
    match = re.fullmatch(r"(\d+) (?:van|of) 12 (?:vrij|free)", seats)
    assert match, f"seats shown as {seats!r}"
    return int(match.group(1))


async def open_sign_up(
    pg: Playground, heading: str, when: str
) -> tuple[Message, dict[str, Any]]:
    message, _, part = await find_session(pg, heading, when)
    await pg.click(message, button(part, "Aanmelden"))  # Action.Submit: a new card
    return await pg.next_card()


def typed(card: dict[str, Any], **values: str) -> dict[str, str]:
    """Every input of the card with what it shows, then what the user typed."""
    shown = {
        element["id"]: str(element.get("value") or "")
        for element in elements(card)
        if element["type"].startswith("Input.")
    }
    return {**shown, **values}


async def sign_up(
    pg: Playground, heading: str, when: str, **values: str
) -> dict[str, Any]:
    message, form = await open_sign_up(pg, heading, when)
    done = await pg.click(message, button(form, "Aanmelden"), **typed(form, **values))
    assert done is not None
    assert "✅ Aangemeld" in texts(done), text_of(done)
    return done


async def my_sign_ups(pg: Playground) -> tuple[Message, dict[str, Any]]:
    await pg.say("mijn aanmeldingen")
    message, card = await pg.next_card()
    assert "Mijn aanmeldingen" in texts(card)
    return message, card


def listed(card: dict[str, Any], heading: str, name: str) -> list[dict[str, Any]]:
    return containers(card, f"{heading}: {name}")


def error_after(card: dict[str, Any], input_id: str) -> str:
    """The red message right under a field, or '' when there is none."""
    element = after_input(card, input_id)
    if (
        element
        and element["type"] == "TextBlock"
        and element.get("color") == "attention"
    ):
        return str(element["text"])
    return ""


# The tests ------------------------------------------------------------------------


async def test_install_greets_sanne_with_the_dutch_menu(playground: Playground) -> None:
    pg = playground
    assert pg.conversation_id == CONVERSATION_ID

    await pg.install()
    message, card = await pg.next_card()

    assert texts(card)[:2] == [
        "Hallo Sanne! Ik ben de Presentis-assistent. Waarmee kan ik je helpen?",
        "Wat wil je doen?",
    ]
    assert [action["title"] for action in buttons(card)] == [
        "Trainingen bekijken",
        "Mijn aanmeldingen",
        "Help",
        "English",
    ]
    assert card["lang"] == "nl"
    # Teams announces an install twice (installationUpdate, conversationUpdate):
    # one greeting only.
    assert await pg.quiet(0.3) == []

    # The menu's own button opens the calendar.
    await pg.click(message, button(card, "Trainingen bekijken"))
    _, listing = await pg.next_card()
    assert texts(listing)[0] == "Trainingen"


async def test_calendar_in_dutch_pages_with_action_execute(
    playground: Playground,
) -> None:
    """Paging is an Action.Execute: the regression test for the SDK's invoke fault.

    botbuilder-integration-aiohttp 4.17.1 serialises the invoke body twice and
    answers 500 (the Playground then says 502); bot/adapter.py works around it.
    """
    pg = playground
    message, card = await open_list(pg)

    assert texts(card)[0] == "Trainingen"
    assert "Pagina 1 van 4" in texts(card)
    first = section(card, "Leerroutemodel", Wanneer="donderdag 2 februari 2023")
    assert facts_of(first)["Prijs"] == "€ 250,00 per persoon (1 × € 250,00)"
    two_days = section(card, "Handelingsgericht en planmatig werken (tweedaagse)")
    assert facts_of(two_days)["Wanneer"] == (
        "donderdag 16 februari 2023 en donderdag 8 juni 2023"
    )
    assert facts_of(two_days)["Prijs"] == "€ 500,00 per persoon (2 × € 250,00)"
    assert 0 < seats_left(first) <= 12
    assert button(first, "Aanmelden")["type"] == "Action.Submit"

    paging = button(card, "Volgende")
    assert paging["type"] == "Action.Execute"
    status, body = await pg.execute(message, paging["verb"], paging["data"])
    assert status == 200, body
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    page_two = body["value"]
    assert page_two["type"] == "AdaptiveCard"
    assert "Pagina 2 van 4" in texts(page_two)
    rooster = section(page_two, ROOSTER, Wanneer=ROOSTER_DAYS)
    assert facts_of(rooster)["Prijs"] == "€ 500,00 per persoon (2 × € 250,00)"
    assert facts_of(rooster)["Voor wie"] == "Roostermakers- en beheerders"
    assert 0 < seats_left(rooster) <= 12
    # The card is replaced in place: no new message in the chat.
    assert await pg.quiet(0.2) == []

    back = await pg.click(message, button(page_two, "Vorige"))
    assert back is not None
    assert "Pagina 1 van 4" in texts(back)


async def test_sign_up_form_refuses_wrong_input_and_keeps_what_was_typed(
    playground: Playground,
) -> None:
    pg = playground
    _, _, part = await find_session(pg, ROOSTER, ROOSTER_DAYS)
    seats_before = seats_left(part)

    message, form = await open_sign_up(pg, ROOSTER, ROOSTER_DAYS)
    assert texts(form)[0] == "Aanmelden: Rooster tweedaagse"
    assert facts_of(form) == {
        "School": SCHOOL,
        "Wanneer": ROOSTER_DAYS,
        "Prijs": "€ 500,00 per persoon (2 × € 250,00)",
    }
    assert find_input(form, "name_1")["value"] == "Sanne de Vries"
    assert "Annuleren kan tot en met woensdag 1 maart 2023." in texts(form)
    send = button(form, "Aanmelden")
    assert send["type"] == "Action.Execute"

    # A dietary wish without a name.
    card = await pg.click(message, send, **typed(form, diet_2="halal"))
    assert card is not None
    assert "Controleer de velden met een melding." in texts(card)
    assert error_after(card, "name_2") == "Vul de naam in bij deze dieetwens."
    assert error_after(card, "name_1") == ""
    assert find_input(card, "name_1")["value"] == "Sanne de Vries"
    assert find_input(card, "diet_2")["value"] == "halal"
    assert button(card, "Aanmelden")["data"] == send["data"]

    # The same person twice, spelled differently.
    card = await pg.click(
        message, button(card, "Aanmelden"), **typed(card, name_2="sanne  DE vries")
    )
    assert card is not None
    assert error_after(card, "name_2") == "Deze naam staat al hierboven."
    assert find_input(card, "name_2")["value"] == "sanne  DE vries"
    assert find_input(card, "diet_2")["value"] == "halal"
    assert await pg.quiet(0.2) == []

    # Nothing was stored.
    _, mine = await my_sign_ups(pg)
    assert not listed(mine, ROOSTER, "Sanne de Vries")
    _, _, part = await find_session(pg, ROOSTER, ROOSTER_DAYS)
    assert seats_left(part) == seats_before


async def test_sign_up_two_people_once_however_often_clicked(
    playground: Playground,
) -> None:
    pg = playground
    _, _, part = await find_session(pg, ROOSTER, ROOSTER_DAYS)
    seats_before = seats_left(part)

    message, form = await open_sign_up(pg, ROOSTER, ROOSTER_DAYS)
    send = button(form, "Aanmelden")
    inputs = typed(form, diet_1="vegetarisch", name_2="Noah Visser")
    done = await pg.click(message, send, **inputs)
    assert done is not None

    assert texts(done)[:2] == [
        "✅ Aangemeld",
        "2 deelnemers aangemeld voor Rooster tweedaagse. Totaal: € 1.000,00.",
    ]
    assert facts_of(done) == {
        "Wanneer": ROOSTER_DAYS,
        "Deelnemers": "Sanne de Vries, Noah Visser",
        "Prijs": "€ 500,00 per persoon (2 × € 250,00)",
        "Totaal": "€ 1.000,00",
    }
    assert not any(element["type"].startswith("Input.") for element in elements(done))
    # Updated in place: the invoke answered with the card, no new message came.
    assert await pg.quiet(0.2) == []

    # A double click sends the same card again: the same confirmation, stored once.
    again = await pg.click(message, send, **inputs)
    assert again == done

    _, mine = await my_sign_ups(pg)
    assert len(listed(mine, ROOSTER, "Sanne de Vries")) == 1
    assert len(listed(mine, ROOSTER, "Noah Visser")) == 1
    _, _, part = await find_session(pg, ROOSTER, ROOSTER_DAYS)
    assert seats_left(part) == seats_before - 2

    # A new form for the same session: Sanne is on it already, so her name is not
    # filled in; typed anyway, it is refused at the field.
    message, form = await open_sign_up(pg, ROOSTER, ROOSTER_DAYS)
    assert not find_input(form, "name_1").get("value")
    card = await pg.click(
        message, button(form, "Aanmelden"), **typed(form, name_1="Sanne de Vries")
    )
    assert card is not None
    assert error_after(card, "name_1") == (
        "Sanne de Vries staat al ingeschreven voor deze training."
    )
    _, _, part = await find_session(pg, ROOSTER, ROOSTER_DAYS)
    assert seats_left(part) == seats_before - 2


async def test_cancel_one_sign_up_and_the_seat_comes_back(
    playground: Playground,
) -> None:
    pg = playground
    title, when = "Administratief beheer", "woensdag 22 maart 2023"
    _, _, part = await find_session(pg, title, when)
    seats_before = seats_left(part)
    await sign_up(pg, title, when, name_2="Noah Visser")
    _, _, part = await find_session(pg, title, when)
    assert seats_left(part) == seats_before - 2

    message, mine = await my_sign_ups(pg)
    [noah] = listed(mine, title, "Noah Visser")
    assert "Annuleren kan tot en met woensdag 8 maart 2023." in texts(noah)
    # "Annuleren" opens a question in the card (client side); its button cancels.
    assert button(noah, "Annuleren")["type"] == "Action.ShowCard"
    cancel = button(noah, "Ja, annuleren")
    assert cancel["type"] == "Action.Execute"
    after = await pg.click(message, cancel)
    assert after is not None

    assert (
        "Aanmelding van Noah Visser voor Administratief beheer is geannuleerd."
        in texts(after)
    )
    assert not listed(after, title, "Noah Visser")
    assert len(listed(after, title, "Sanne de Vries")) == 1

    _, mine = await my_sign_ups(pg)
    assert not listed(mine, title, "Noah Visser")
    assert len(listed(mine, title, "Sanne de Vries")) == 1
    _, _, part = await find_session(pg, title, when)
    assert seats_left(part) == seats_before - 1

    # The old card's button once more (a double click): the same answer, and
    # nothing changes.
    again = await pg.click(message, cancel)
    assert again is not None
    assert (
        "Aanmelding van Noah Visser voor Administratief beheer is geannuleerd."
        in texts(again)
    )
    _, _, part = await find_session(pg, title, when)
    assert seats_left(part) == seats_before - 1


async def test_the_language_holds_for_a_message_sent_right_after_the_switch(
    playground: Playground,
) -> None:
    """Like a quick click on the new menu: no waiting for the turn to end."""
    pg = playground
    answers = []
    for switch, ask, title in 5 * [
        ("English", "trainings", "Trainings"),
        ("Nederlands", "trainingen", "Trainingen"),
    ]:
        await pg.say(switch, wait=False)
        await pg.wait_for(lambda message: bool(message.cards))  # the new menu
        await pg.say(ask, wait=False)
        _, card = await pg.next_card()
        answers.append((title, texts(card)[0]))
    assert [got for _, got in answers] == [want for want, _ in answers]


async def test_english_and_back_to_dutch(playground: Playground) -> None:
    pg = playground
    await pg.say("English")
    switched = await pg.next_message()
    assert switched.text == "I will speak English with you from now on."
    _, menu = await pg.next_card()
    assert [action["title"] for action in buttons(menu)] == [
        "See trainings",
        "My sign-ups",
        "Help",
        "Nederlands",
    ]

    message, card = await open_list(pg, "trainings")
    assert texts(card)[0] == "Trainings"
    assert "Page 1 of 4" in texts(card)
    first = section(card, "Leerroutemodel", When="Thursday 2 February 2023")
    assert facts_of(first)["Price"] == "€250.00 per person (1 × €250.00)"
    assert button(first, "Sign up")
    page_two = await pg.click(message, button(card, "Next"))
    rooster = section(page_two, ROOSTER, When=ROOSTER_DAYS_EN)
    assert facts_of(rooster)["Price"] == "€500.00 per person (2 × €250.00)"
    assert re.fullmatch(r"\d+ of 12 free", facts_of(rooster)["Seats"])

    await pg.click(message, button(rooster, "Sign up"))
    form_message, form = await pg.next_card()
    assert texts(form)[0] == "Sign up: Rooster tweedaagse"
    assert facts_of(form) == {
        "School": SCHOOL,
        "When": ROOSTER_DAYS_EN,
        "Price": "€500.00 per person (2 × €250.00)",
    }
    assert "You can cancel up to and including Wednesday 1 March 2023." in texts(form)
    wrong = await pg.click(
        form_message, button(form, "Sign up"), **typed(form, diet_3="kosher")
    )
    assert wrong is not None
    assert "Please check the fields marked below." in texts(wrong)
    assert error_after(wrong, "name_3") == (
        "Enter the name that goes with this dietary wish."
    )

    await pg.say("Nederlands")
    assert (await pg.next_message()).text == "Ik spreek vanaf nu Nederlands met je."
    _, menu = await pg.next_card()
    assert buttons(menu)[0]["title"] == "Trainingen bekijken"
    _, card = await open_list(pg)
    assert texts(card)[0] == "Trainingen"
    section(card, "Leerroutemodel", Wanneer="donderdag 2 februari 2023")


@pytest.mark.parametrize(
    ("said", "heading"),
    [
        ("trainigen", "Trainingen"),
        ("Trainingen!", "Trainingen"),
        ("mijn aanmeldngen", "Mijn aanmeldingen"),
    ],
)
async def test_typos_are_forgiven(
    playground: Playground, said: str, heading: str
) -> None:
    await playground.say(said)
    _, card = await playground.next_card()
    assert texts(card)[0] == heading


async def test_what_is_not_understood_gets_help(playground: Playground) -> None:
    await playground.say("xyzzy plugh")
    answer = await playground.next_message()
    assert answer.text == "Dat begreep ik niet. Typ **help** voor wat ik kan."
    assert answer.cards == []


async def test_an_unknown_user_is_told_politely_and_sees_nothing(
    playground: Playground,
) -> None:
    pg = playground
    stranger = pg.user("user-id-4")  # a Playground user without a staff record

    for said in ("trainingen", "mijn aanmeldingen", "deelnemers", "hallo"):
        await pg.act_as(stranger, said)
        answer = await pg.next_message()
        assert answer.text.startswith(UNKNOWN), answer
        assert answer.text == (
            "Ik ken je nog niet. Vraag de applicatiebeheerder van je school om je "
            "account te koppelen."
        )
        assert answer.cards == []
    assert await pg.quiet(0.2) == []

    # A stranger may choose a language; still nothing but the polite answer.
    await pg.act_as(stranger, "English")
    switched = await pg.next_message()
    assert switched.text == "I will speak English with you from now on."
    assert switched.cards == []  # no menu of what a stranger cannot use
    await pg.act_as(stranger, "trainings")
    answer = await pg.next_message()
    assert answer.text == (
        "I don't know you yet. Ask your school's application administrator to link "
        "your account."
    )
    assert answer.cards == []
    # Sanne's language is her own.
    _, card = await open_list(pg)
    assert texts(card)[0] == "Trainingen"


@dataclass
class Roster:
    """The trainer's roster card as far as it was paged, and the session asked for."""

    message: Message
    card: dict[str, Any]
    shown: list[dict[str, Any]]
    pages: int


async def on_the_roster(pg: Playground, title: str, when: str) -> Roster:
    """As trainer Tom Bakker: page the roster until the session shows up."""
    trainer = pg.user("user-id-1")
    await pg.act_as(trainer, "deelnemers")
    message, roster = await pg.next_card()
    assert texts(roster)[0] == "Deelnemers per training"
    shown = [part for part in containers(roster, title) if when in texts(part)]
    pages = 1
    while not shown and buttons(roster, "Volgende"):
        turned = await pg.click(message, button(roster, "Volgende"), user=trainer)
        assert turned is not None
        assert texts(turned)[0] == "Deelnemers per training"
        roster, pages = turned, pages + 1
        shown = [part for part in containers(roster, title) if when in texts(part)]
    return Roster(message, roster, shown, pages)


async def test_trainer_sees_participants_and_dietary_wishes_teachers_do_not(
    playground: Playground,
) -> None:
    pg = playground
    title, when = "Zorg en ondersteuning", "donderdag 23 maart 2023"
    await sign_up(pg, title, when, diet_1="glutenvrij", name_2="Noah Visser")

    [zorg] = (await on_the_roster(pg, title, when)).shown
    assert when in texts(zorg)
    assert "2 van 12 plaatsen bezet · Nog 4 nodig om door te gaan" in texts(zorg)
    assert f"Noah Visser ({SCHOOL}): –" in texts(zorg)
    assert f"Sanne de Vries ({SCHOOL}): glutenvrij" in texts(zorg)

    # A trainer signs nobody up, even with a sign-up button's own data.
    _, _, part = await find_session(pg, title, when)
    await pg.act_as(pg.user("user-id-1"), value=button(part, "Aanmelden")["data"])
    _, refused = await pg.next_card()
    assert texts(refused) == ["Aanmelden gaat via een medewerker van een school."]

    # Sanne, a teacher, asks the same: refused, no names, no diets.
    await pg.say("deelnemers")
    _, refused = await pg.next_card()
    assert texts(refused) == [NOT_FOR_TEACHERS]

    # Eva Jansen, a teacher of another school: refused too.
    await pg.act_as(pg.user("user-id-2"), "deelnemers")
    _, refused = await pg.next_card()
    assert texts(refused) == [NOT_FOR_TEACHERS]

    # Noah, Sanne's colleague, sees that he is signed up, not Sanne's diet.
    await pg.act_as(pg.user("user-id-3"), "mijn aanmeldingen")
    _, his = await pg.next_card()
    assert len(listed(his, title, "Noah Visser")) == 1
    assert "glutenvrij" not in text_of(his)

    # Eva sees none of Horizon's sign-ups.
    await pg.act_as(pg.user("user-id-2"), "mijn aanmeldingen")
    _, hers = await pg.next_card()
    assert "Je hebt geen aanmeldingen voor komende trainingen." in texts(hers)
    assert SCHOOL not in text_of(hers)
    assert "Sanne de Vries" not in text_of(hers)


async def test_trainer_sees_sign_ups_for_every_upcoming_session(
    playground: Playground,
) -> None:
    pg = playground
    title, when = "Rooster tweedaagse", "woensdag 10 mei 2023 en donderdag 11 mei 2023"
    await sign_up(pg, title, when, name_1="Noah Visser")

    roster = await on_the_roster(pg, title, when)

    assert len(roster.shown) == 1, "the May run of Rooster tweedaagse is missing"
    assert roster.pages > 1
    assert f"Noah Visser ({SCHOOL}): –" in texts(roster.shown[0])


async def test_trainer_sets_the_seats_and_teachers_see_them(
    playground: Playground,
) -> None:
    pg = playground
    trainer = pg.user("user-id-1")
    title, when = "Stage inclusief handelingsgericht werken", "dinsdag 28 maart 2023"
    roster = await on_the_roster(pg, title, when)
    [stage] = roster.shown
    [seats] = [e for e in elements(stage) if e["type"] == "Input.Number"]
    assert seats["label"] == "Aantal plaatsen (6 tot en met 30)"
    assert "min" not in seats and "max" not in seats
    assert seats["value"] == 12
    save = button(stage, "Plaatsen opslaan")

    # Nought seats: refused under the field, nothing changes.
    refused = await pg.click(roster.message, save, user=trainer, **{seats["id"]: "0"})
    assert refused is not None
    assert error_after(refused, seats["id"]) == "Kies een aantal van 6 tot en met 30."
    assert find_input(refused, seats["id"])["value"] == 0

    saved = await pg.click(roster.message, save, user=trainer, **{seats["id"]: "16"})
    assert saved is not None
    assert (
        "Stage inclusief handelingsgericht werken (dinsdag 28 maart 2023) heeft nu "
        "16 plaatsen." in texts(saved)
    )
    [stage] = [part for part in containers(saved, title) if when in texts(part)]
    assert "0 van 16 plaatsen bezet · Nog 6 nodig om door te gaan" in texts(stage)
    assert await pg.quiet(0.2) == []

    # Sanne sees the new number of seats in the calendar.
    _, _, part = await find_session(pg, title, when)
    assert facts_of(part)["Plaatsen"] == "16 van 16 vrij"


async def test_another_school_cannot_cancel_our_sign_up_with_its_button_data(
    playground: Playground,
) -> None:
    """Eva Jansen (Het Anker) sends the data of Sanne's cancel button as her own."""
    pg = playground
    title, when = "Kwaliteit", "maandag 27 maart 2023 en maandag 3 april 2023"
    await sign_up(pg, f"{title} (tweedaagse)", when)
    _, mine = await my_sign_ups(pg)
    [ours] = listed(mine, title, "Sanne de Vries")
    cancel = button(ours, "Ja, annuleren")

    eva = pg.user("user-id-2")
    await pg.act_as(eva, value={"action": cancel["verb"], **cancel["data"]})
    _, refused = await pg.next_card()
    assert texts(refused) == ["Deze aanmelding hoort niet bij jouw school."]

    _, mine = await my_sign_ups(pg)
    assert len(listed(mine, title, "Sanne de Vries")) == 1


async def test_a_replayed_sign_up_card_shows_nothing_of_another_school(
    playground: Playground,
) -> None:
    pg = playground
    title, when = "Applicatiebeheer", "dinsdag 4 april 2023"
    message, form = await open_sign_up(pg, title, when)
    send = button(form, "Aanmelden")
    inputs = typed(form, diet_1="lactosevrij")
    done = await pg.click(message, send, **inputs)
    assert done is not None
    assert "Sanne de Vries" in facts_of(done).values()

    eva = pg.user("user-id-2")
    await pg.act_as(eva, value={"action": send["verb"], **send["data"], **inputs})
    answer = await pg.next_message()
    shown = answer.text + "\n".join(text_of(card) for card in answer.cards)
    assert "Sanne de Vries" not in shown
    assert "Aangemeld" not in shown


async def test_cancelling_after_the_fourteen_days_is_refused_with_the_reason(
    stack_factory: Any,
) -> None:
    """Leerroutemodel on Thursday 2 February: cancelling ends on Thursday 19 January.

    On the 19th Sanne signs up and opens her sign-ups (the cancel button shows);
    she clicks it on the 20th, after the bot restarted on the same address and
    database with that day: refused, with the last day named.
    """
    title, when = "Leerroutemodel", "donderdag 2 februari 2023"
    async with (
        stack_factory("2023-01-19") as stack,
        aiohttp.ClientSession() as http,
    ):
        pg = await connect(stack.playground_url, http)
        try:
            await sign_up(pg, title, when)
            message, mine = await my_sign_ups(pg)
            [mine_then] = listed(mine, title, "Sanne de Vries")
            assert "Annuleren kan tot en met donderdag 19 januari 2023." in texts(
                mine_then
            )
            cancel = button(mine_then, "Ja, annuleren")

            await stack.restart_bot("2023-01-20")

            refused = await pg.click(message, cancel)
            assert refused is not None
            assert TOO_LATE in texts(refused), text_of(refused)
            assert "geannuleerd" not in text_of(refused)
            assert not buttons(refused, "Annuleren")

            _, mine = await my_sign_ups(pg)
            [still] = listed(mine, title, "Sanne de Vries")
            assert not buttons(still, "Annuleren")
            assert TOO_LATE in texts(still)
            _, _, part = await find_session(pg, title, when)
            assert seats_left(part) == 11
        finally:
            await pg.close()
