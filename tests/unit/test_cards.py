"""Every card the bot sends: valid for Teams, and saying what the user should read.

Each card is built from real domain objects (the 2023 calendar and its announcement)
in Dutch and in English, then checked three ways: against the official Adaptive Cards
1.5 JSON schema, element by element; by Microsoft's own JS renderer under node; and
against what Teams itself sets (version 1.5, message size, object data on submit).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import adaptive_cards
import pytest
from adaptive_cards.card import AdaptiveCard
from jsonschema import Draft6Validator

from cards import actions
from cards.common import as_payload
from cards.menu import menu_card, suggestions_card
from cards.sign_ups import (
    MINE_PAGE_SIZE,
    ROSTER_PAGE_SESSIONS,
    my_sign_ups_card,
    roster_card,
    roster_pages,
)
from cards.trainings import (
    PAGE_SIZE,
    notice_card,
    sign_up_card,
    signed_up_card,
    trainings_card,
)
from dialogs.router import FLOWS
from domain.calendar_text import read_calendar
from domain.errors import FieldError
from domain.texts import Language, say
from domain.trainings import (
    DIETARY_WISHES_MAX,
    NAME_MAX,
    SEATS_MAX,
    Participant,
    SignUp,
    TrainingSession,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEMA = Path(adaptive_cards.__file__).parent / "schemas" / "schema-1.5.json"
RENDERER = ROOT / "tests" / "cards" / "validate.js"

# Teams renders Adaptive Cards up to 1.5; a message may hold 100 KB, older clients
# 40 KB. A card stays well under both.
TEAMS_CARD_VERSION = (1, 5)
CARD_SIZE_LIMIT = 28 * 1024

# Monday 16 January 2023, 10:00 in Amsterdam: the whole 2023 calendar lies ahead.
NOW = datetime(2023, 1, 16, 10, tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(UTC)
SCHOOL = "Praktijkschool De Horizon"
OTHER_SCHOOL = "Praktijkcollege Het Anker"


# Real domain objects


@cache
def real_sessions() -> tuple[TrainingSession, ...]:
    """The 18 sessions of the 2023 calendar, soonest first, with some seats taken."""
    reading = read_calendar(
        (DATA / "trainingskalender-2023.txt").read_text(encoding="utf-8"),
        (DATA / "trainingen-2023-aankondiging.txt").read_text(encoding="utf-8"),
    )
    runs = sorted(
        (
            (read_session.days, read.training)
            for read in reading.trainings
            for read_session in read.sessions
        ),
        key=lambda run: (run[0][0], run[1].title),
    )
    return tuple(
        TrainingSession(
            id=number,
            training=training,
            days=days,
            seats=12,
            taken=(number * 5) % 13,
        )
        for number, (days, training) in enumerate(runs, start=1)
    )


def session_of(key: str, first_day: date) -> TrainingSession:
    return next(
        s for s in real_sessions() if s.training.key == key and s.first_day == first_day
    )


def leerroutemodel() -> TrainingSession:
    return session_of("leerroutemodel", date(2023, 2, 2))


def kwaliteit() -> TrainingSession:
    """The two-day training of 27 March and 3 April."""
    return session_of("kwaliteit", date(2023, 3, 27))


def sign_up(
    number: int,
    session: TrainingSession,
    name: str,
    diet: str | None = None,
    school: str = SCHOOL,
) -> SignUp:
    return SignUp(
        id=number,
        session_id=session.id,
        school_name=school,
        participant=Participant(name, diet),
        signed_up_by=7,
    )


def longest_page() -> list[TrainingSession]:
    """Five sessions with the longest titles and long audiences: the heaviest page."""
    by_length = sorted(
        real_sessions(),
        key=lambda s: len(s.training.title) + len(s.training.audience or ""),
        reverse=True,
    )
    audience = " ".join(s.training.audience or "" for s in real_sessions())[:1500]
    return [
        replace(session, training=replace(session.training, audience=audience))
        for session in by_length[:PAGE_SIZE]
    ]


def full_roster() -> list[tuple[TrainingSession, list[SignUp]]]:
    """The trainer's view of a page of full sessions, everyone with a wish."""
    rows = []
    for session in real_sessions()[:ROSTER_PAGE_SESSIONS]:
        full = replace(session, taken=session.seats)
        people = [
            sign_up(
                100 * session.id + seat,
                full,
                f"Deelnemer {seat} van de Hoogstraat-Verhoeven",
                "vegetarisch, geen noten en lactosevrij",
                SCHOOL if seat % 2 else OTHER_SCHOOL,
            )
            for seat in range(full.seats)
        ]
        rows.append((full, people))
    return rows


def cards_in(language: Language) -> dict[str, AdaptiveCard]:
    sessions = real_sessions()
    pages = -(-len(sessions) // PAGE_SIZE)
    two_day = kwaliteit()
    one_day = leerroutemodel()
    full = replace(session_of("rooster", date(2023, 3, 15)), taken=12)
    typed = {
        "name_1": "Sanne de Vries",
        "diet_1": "vegetarisch",
        "name_2": "sanne de vries",
        "diet_2": "",
        "name_3": "",
        "diet_3": "halal",
        "name_4": "B" * (NAME_MAX + 1),
        "diet_4": "x" * (DIETARY_WISHES_MAX + 1),
    }
    errors = [
        FieldError("name_2", "signup.name_twice"),
        FieldError("name_3", "signup.diet_without_name"),
        FieldError("name_4", "signup.name_too_long", {"max": NAME_MAX}),
        FieldError("diet_4", "signup.diet_too_long", {"max": DIETARY_WISHES_MAX}),
    ]
    mine = [
        (sign_up(1, two_day, "Sanne de Vries", "vegetarisch"), two_day),
        (sign_up(2, one_day, "Sanne de Vries"), one_day),
    ]
    late = datetime(2023, 3, 20, 9, tzinfo=UTC)
    roster = [
        (
            replace(two_day, taken=2),
            [
                sign_up(1, two_day, "Sanne de Vries", "vegetarisch"),
                sign_up(2, two_day, "Eva Jansen", None, OTHER_SCHOOL),
            ],
        ),
        (replace(one_day, taken=0), []),
    ]
    return {
        "menu": menu_card(language),
        "menu_trainer": menu_card(language, trainer=True),
        "menu_with_greeting": menu_card(language, say(language, "hello", name="Sanne")),
        "suggestions": suggestions_card(
            language,
            [
                (say(language, "menu.trainings"), actions.SHOW_TRAININGS),
                (say(language, "menu.my_sign_ups"), actions.SHOW_MY_SIGN_UPS),
            ],
        ),
        "trainings_first_page": trainings_card(
            sessions[:PAGE_SIZE], 1, len(sessions), language, NOW
        ),
        "trainings_middle_page": trainings_card(
            sessions[PAGE_SIZE : 2 * PAGE_SIZE], 2, len(sessions), language, NOW
        ),
        "trainings_last_page": trainings_card(
            sessions[(pages - 1) * PAGE_SIZE :], pages, len(sessions), language, NOW
        ),
        "trainings_none": trainings_card([], 1, 0, language, NOW),
        # On 2 February the Leerroutemodel of that day has begun; Rooster is full.
        "trainings_full_and_started": trainings_card(
            [one_day, full],
            1,
            2,
            language,
            datetime(2023, 2, 2, 9, tzinfo=UTC),
        ),
        "trainings_longest_page": trainings_card(
            longest_page(), 1, len(sessions), language, NOW
        ),
        "sign_up_form": sign_up_card(
            two_day, SCHOOL, "token-1", language, NOW, {"name_1": "Sanne de Vries"}
        ),
        "sign_up_form_with_errors": sign_up_card(
            two_day, SCHOOL, "token-1", language, NOW, typed, errors
        ),
        # On 25 January the last day to cancel the 2 February session has passed.
        "sign_up_form_past_cancelling": sign_up_card(
            one_day,
            SCHOOL,
            "token-2",
            language,
            datetime(2023, 1, 25, 9, tzinfo=UTC),
            {"name_1": "Sanne de Vries"},
        ),
        "signed_up_one_day": signed_up_card(
            one_day, [sign_up(1, one_day, "Sanne de Vries")], language, NOW
        ),
        "signed_up_two_day": signed_up_card(
            two_day,
            [
                sign_up(1, two_day, "Sanne de Vries", "vegetarisch"),
                sign_up(2, two_day, "Noah Visser"),
                sign_up(3, two_day, "Eva Jansen", "halal"),
            ],
            language,
            NOW,
        ),
        "notice": notice_card(say(language, "card.expired"), language),
        "my_sign_ups_none": my_sign_ups_card([], 1, 0, language, NOW),
        "my_sign_ups": my_sign_ups_card(
            mine,
            1,
            len(mine),
            language,
            NOW,
            say(language, "mine.cancelled", name="Noah Visser", title="Rooster"),
        ),
        "my_sign_ups_too_late": my_sign_ups_card(mine, 1, len(mine), language, late),
        # A school that signed up many: the second of three pages, each sign-up
        # with the longest name and a cancel question.
        "my_sign_ups_full_page": my_sign_ups_card(
            [
                (sign_up(n, two_day, "N" * NAME_MAX, "x" * DIETARY_WISHES_MAX), two_day)
                for n in range(MINE_PAGE_SIZE)
            ],
            2,
            3 * MINE_PAGE_SIZE,
            language,
            NOW,
        ),
        "roster": roster_card(roster, 1, 1, language),
        "roster_seats_refused": roster_card(
            roster,
            1,
            1,
            language,
            form={f"seats_{two_day.id}": "1", f"seats_{one_day.id}": "14"},
            errors=[
                FieldError(
                    f"seats_{two_day.id}",
                    "roster.seats_out_of_range",
                    {"lowest": 6, "highest": 30},
                )
            ],
        ),
        "roster_seats_saved": roster_card(
            roster,
            1,
            1,
            language,
            notice=say(
                language,
                "roster.seats_saved",
                title="Leerroutemodel",
                when="donderdag 2 februari 2023",
                seats=14,
            ),
        ),
        "roster_full": roster_card(full_roster(), 2, 7, language),
    }


@cache
def all_payloads() -> dict[str, dict[str, Any]]:
    return {
        f"{name}[{language.value}]": as_payload(card)
        for language in Language
        for name, card in cards_in(language).items()
    }


CARD_NAMES = sorted(all_payloads())


def payload(name: str, language: Language = Language.NL) -> dict[str, Any]:
    return all_payloads()[f"{name}[{language.value}]"]


# Walking a card


def elements(node: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object with a `type` in the card, with where it is; not action data."""
    if isinstance(node, dict):
        if isinstance(node.get("type"), str):
            yield path, node
        for key, value in node.items():
            if key != "data":
                yield from elements(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from elements(item, f"{path}[{index}]")


def of_type(card: dict[str, Any], *types: str) -> list[dict[str, Any]]:
    return [element for _, element in elements(card) if element["type"] in types]


def visible(text: str) -> str:
    """Text as it looks: Babel keeps "€" and its amount together with a no-break
    space, which reads as a space."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def words(card: dict[str, Any]) -> list[str]:
    """All a reader sees: text, facts, labels, typed values, buttons."""
    seen: list[str] = []
    for _, element in elements(card):
        for key in ("text", "label", "value", "title"):
            if isinstance(element.get(key), str):
                seen.append(visible(element[key]))
        for fact in element.get("facts", []):
            seen.extend((visible(fact["title"]), visible(fact["value"])))
    return seen


def shows(card: dict[str, Any], fragment: str) -> bool:
    return any(fragment in text for text in words(card))


def facts(card: dict[str, Any]) -> dict[str, str]:
    """The facts of a card with one fact set, as they read."""
    fact_sets = of_type(card, "FactSet")
    assert len(fact_sets) == 1, "more than one fact set; use session_facts"
    return {visible(f["title"]): visible(f["value"]) for f in fact_sets[0]["facts"]}


def session_facts(card: dict[str, Any], heading: str) -> list[dict[str, str]]:
    """The facts of each session on a calendar page that has this heading."""
    found = []
    for container in of_type(card, "Container"):
        first, *rest = container["items"]
        if first.get("text") == heading:
            found.extend(
                {visible(f["title"]): visible(f["value"]) for f in item["facts"]}
                for item in rest
                if item["type"] == "FactSet"
            )
    return found


def sign_up_buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        action
        for action in of_type(card, "Action.Submit")
        if action["data"].get(actions.ACTION) == actions.OPEN_SIGN_UP
    ]


# The official JSON schema, one element at a time


@cache
def schema_validators() -> dict[str, Draft6Validator]:
    """A validator per element type.

    The raw schema nests every element in an `anyOf` over all types, so one wrong
    property deep inside a card is reported as "not valid under any" at the top.
    Here a nested element is checked only for a known `type`; each element is then
    validated against its own definition.
    """
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    definitions = schema["definitions"]
    for name, definition in list(definitions.items()):
        if name.startswith("ImplementationsOf."):
            types = [
                branch["allOf"][0]["$ref"].rsplit("/", 1)[-1]
                for branch in definition["anyOf"]
            ]
            definitions[name] = {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"enum": types}},
            }
    return {
        name: Draft6Validator(
            {"definitions": definitions, "allOf": [{"$ref": f"#/definitions/{name}"}]}
        )
        for name in definitions
    }


def schema_problems(card: dict[str, Any]) -> list[str]:
    validators = schema_validators()
    problems = []
    for path, element in elements(card):
        validator = validators.get(element["type"])
        # A card is the root, or the card an Action.ShowCard opens.
        card_place = path == "$" or path.endswith(".card")
        if validator is None or card_place != (element["type"] == "AdaptiveCard"):
            problems.append(f"{path}: unexpected type {element['type']!r}")
            continue
        problems.extend(
            f"{path}.{'.'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(element)
        )
    return problems


# Microsoft's renderer, once for all cards


@pytest.fixture(scope="session")
def renderer_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run Microsoft's Adaptive Cards renderer")
    cards = dict(all_payloads())
    cards["broken"] = BROKEN_CARD
    source = tmp_path_factory.mktemp("cards") / "cards.json"
    source.write_text(json.dumps(cards), encoding="utf-8")

    run = subprocess.run(
        [node, str(RENDERER), str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    report: dict[str, list[str]] = json.loads(run.stdout)
    return report


# A card with faults both validators must see, so that a silent pass means something.
BROKEN_CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [
        {"type": "TextBlok", "text": "typo in the type"},
        {"type": "Input.Text", "label": "no id"},
        {"type": "TextBlock", "txt": "no text"},
    ],
    "actions": [{"type": "Action.Submit", "title": "Go", "dataa": {}}],
}


def test_the_validators_see_a_broken_card(
    renderer_report: dict[str, list[str]],
) -> None:
    from_schema = " | ".join(schema_problems(BROKEN_CARD))
    from_renderer = " | ".join(renderer_report["broken"])

    assert "TextBlok" in from_schema
    assert "'text' is a required property" in from_schema
    assert "'dataa' was unexpected" in from_schema
    assert "Unknown element type" in from_renderer
    assert "unique Id" in from_renderer


# Validity, for every card


@pytest.mark.parametrize("name", CARD_NAMES)
def test_card_matches_the_adaptive_cards_1_5_schema(name: str) -> None:
    assert schema_problems(all_payloads()[name]) == []


@pytest.mark.parametrize("name", CARD_NAMES)
def test_card_passes_microsofts_renderer(
    name: str, renderer_report: dict[str, list[str]]
) -> None:
    assert renderer_report[name] == []


@pytest.mark.parametrize("name", CARD_NAMES)
def test_card_is_a_version_teams_renders_and_fits_a_message(name: str) -> None:
    card = all_payloads()[name]
    major, minor = (int(part) for part in card["version"].split("."))

    size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))

    assert card["type"] == "AdaptiveCard"
    assert (major, minor) <= TEAMS_CARD_VERSION
    assert size < CARD_SIZE_LIMIT, f"{name} is {size} bytes"


@pytest.mark.parametrize("name", CARD_NAMES)
def test_card_buttons_send_objects_to_a_known_flow(name: str) -> None:
    card = all_payloads()[name]

    for submit in of_type(card, "Action.Submit"):
        assert isinstance(submit.get("data"), dict), submit
        assert submit["data"].get(actions.ACTION) in FLOWS, submit
    for execute in of_type(card, "Action.Execute"):
        assert isinstance(execute.get("data"), dict), execute
        assert execute["verb"] in FLOWS, execute


@pytest.mark.parametrize("name", CARD_NAMES)
def test_card_speaks_its_language(name: str) -> None:
    language = re.search(r"\[(\w+)\]$", name)
    assert language is not None

    assert all_payloads()[name]["lang"] == language[1]


def test_the_heaviest_page_is_the_largest_card_of_its_kind() -> None:
    sizes = {
        name: len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
        for name, card in all_payloads().items()
        if name.startswith("trainings_")
    }

    assert max(sizes, key=sizes.__getitem__).startswith("trainings_longest_page")
    assert len(of_type(payload("trainings_longest_page"), "Container")) == PAGE_SIZE


# What a user reads


def test_a_teacher_menu_leads_to_own_sign_ups_a_trainer_menu_to_the_roster() -> None:
    teacher = payload("menu")
    trainer = payload("menu_trainer", Language.EN)

    assert [(a["title"], a["data"]["action"]) for a in teacher["actions"]] == [
        ("Trainingen bekijken", actions.SHOW_TRAININGS),
        ("Mijn aanmeldingen", actions.SHOW_MY_SIGN_UPS),
        ("Help", actions.SHOW_HELP),
        ("English", actions.SWITCH_LANGUAGE),
    ]
    assert [(a["title"], a["data"]["action"]) for a in trainer["actions"]] == [
        ("See trainings", actions.SHOW_TRAININGS),
        ("Participants per training", actions.SHOW_ROSTER),
        ("Help", actions.SHOW_HELP),
        ("Nederlands", actions.SWITCH_LANGUAGE),
    ]


def test_the_calendar_names_dates_in_dutch() -> None:
    card = payload("trainings_first_page")

    february, march = session_facts(card, "Leerroutemodel")

    assert february["Wanneer"] == "donderdag 2 februari 2023"
    assert february["Prijs"] == "€ 250,00 per persoon (1 × € 250,00)"
    assert march["Wanneer"] == "vrijdag 10 maart 2023"


def test_the_calendar_names_dates_in_english() -> None:
    card = payload("trainings_first_page", Language.EN)

    february, march = session_facts(card, "Leerroutemodel")

    assert february["When"] == "Thursday 2 February 2023"
    assert february["Price"] == "€250.00 per person (1 × €250.00)"
    assert march["When"] == "Friday 10 March 2023"


def test_a_two_day_session_shows_both_days_and_costs_500() -> None:
    card = payload("sign_up_form")
    two_day = facts(card)

    assert two_day["Wanneer"] == "maandag 27 maart 2023 en maandag 3 april 2023"
    assert two_day["Prijs"].startswith("€ 500,00")
    assert shows(card, "Kwaliteit (tweedaagse)")
    assert facts(payload("sign_up_form", Language.EN))["Price"].startswith("€500.00")


def test_a_one_day_session_costs_250() -> None:
    card = payload("signed_up_one_day")

    assert facts(card)["Prijs"].startswith("€ 250,00")
    assert facts(card)["Totaal"] == "€ 250,00"


def test_the_confirmation_adds_up_the_price_of_every_participant() -> None:
    card = payload("signed_up_two_day")

    assert facts(card)["Totaal"] == "€ 1.500,00"
    assert facts(card)["Deelnemers"] == "Sanne de Vries, Noah Visser, Eva Jansen"
    assert shows(card, "maandag 13 maart 2023")
    assert facts(payload("signed_up_two_day", Language.EN))["Total"] == "€1,500.00"


def test_the_calendar_shows_seats_left_and_a_button_per_open_session() -> None:
    card = payload("trainings_first_page")

    buttons = sign_up_buttons(card)

    assert [b["data"]["session_id"] for b in buttons] == [
        s.id for s in real_sessions()[:PAGE_SIZE] if s.seats_left
    ]
    assert shows(card, f"{leerroutemodel().seats_left} van 12 vrij")


def test_what_a_training_covers_opens_under_its_session() -> None:
    card = payload("trainings_first_page")

    about = [
        a for a in of_type(card, "Action.ShowCard") if a["title"] == "Wat leer je?"
    ]

    assert len(about) == PAGE_SIZE
    assert about[0]["card"]["body"][0]["text"].startswith(
        "We bespreken de inhoud van het leerroutemodel"
    )


def test_a_full_or_started_session_has_no_sign_up_button() -> None:
    card = payload("trainings_full_and_started")

    assert sign_up_buttons(card) == []
    assert shows(card, "Vol")


def test_the_calendar_pages_forward_and_back() -> None:
    first = payload("trainings_first_page")
    middle = payload("trainings_middle_page")
    last = payload("trainings_last_page")

    def paging(card: dict[str, Any]) -> dict[str, int]:
        return {a["title"]: a["data"]["page"] for a in card.get("actions", [])}

    assert paging(first) == {"Volgende": 2}
    assert paging(middle) == {"Vorige": 1, "Volgende": 3}
    assert paging(last) == {"Vorige": 3}
    assert shows(first, "Pagina 1 van 4")
    assert shows(last, "Pagina 4 van 4")


def test_an_empty_calendar_says_so() -> None:
    assert shows(payload("trainings_none"), "Er staan geen trainingen gepland.")
    assert "actions" not in payload("trainings_none")


def test_the_sign_up_form_starts_with_the_users_name_and_school() -> None:
    card = payload("sign_up_form")
    inputs = {i["id"]: i for i in of_type(card, "Input.Text")}

    assert inputs["name_1"]["value"] == "Sanne de Vries"
    assert facts(card)["School"] == SCHOOL
    assert len(inputs) == 10
    assert of_type(card, "Action.Execute")[0]["data"] == {
        "session_id": kwaliteit().id,
        "token": "token-1",
    }


def test_a_form_after_the_last_day_to_cancel_says_cancelling_is_over() -> None:
    before = payload("sign_up_form")
    after = payload("sign_up_form_past_cancelling")

    assert shows(before, "Annuleren kan tot en met maandag 13 maart 2023.")
    assert shows(
        after,
        "Let op: annuleren kan voor deze training niet meer; dat kon tot en met "
        "donderdag 19 januari 2023.",
    )
    assert not shows(after, "Annuleren kan tot en met")


def error_after(card: dict[str, Any], field: str) -> str | None:
    """The error text shown directly below an input, if any."""
    for container in of_type(card, "Container"):
        items = container["items"]
        for index, item in enumerate(items):
            if item.get("id") == field:
                following = items[index + 1] if index + 1 < len(items) else {}
                if following.get("type") == "TextBlock" and (
                    following.get("color") == "attention"
                ):
                    return str(following["text"])
                return None
    raise AssertionError(f"no input {field}")


def test_the_form_shows_each_error_below_its_own_field() -> None:
    card = payload("sign_up_form_with_errors")

    assert error_after(card, "name_1") is None
    assert error_after(card, "diet_1") is None
    assert error_after(card, "name_2") == "Deze naam staat al hierboven."
    assert error_after(card, "diet_2") is None
    assert error_after(card, "name_3") == "Vul de naam in bij deze dieetwens."
    assert error_after(card, "name_4") == "Een naam is hooguit 100 tekens."
    assert error_after(card, "diet_4") == "Dieetwensen zijn hooguit 200 tekens."
    assert error_after(card, "name_5") is None
    assert shows(card, "Controleer de velden met een melding.")


def test_the_form_shows_errors_in_english_too() -> None:
    card = payload("sign_up_form_with_errors", Language.EN)

    assert error_after(card, "name_2") == "This name is already listed above."


def test_the_form_keeps_what_was_typed() -> None:
    card = payload("sign_up_form_with_errors")
    values = {i["id"]: i.get("value") for i in of_type(card, "Input.Text")}

    assert values["name_1"] == "Sanne de Vries"
    assert values["diet_1"] == "vegetarisch"
    assert values["name_2"] == "sanne de vries"
    assert values["diet_3"] == "halal"
    assert values["name_4"] == "B" * (NAME_MAX + 1)
    assert values["diet_2"] is None
    assert values["name_5"] is None


def test_my_sign_ups_offer_cancelling_only_while_allowed() -> None:
    early = payload("my_sign_ups")
    late = payload("my_sign_ups_too_late")

    cancel_buttons = of_type(early, "Action.Execute")
    questions = of_type(early, "Action.ShowCard")

    assert [b["data"] for b in cancel_buttons] == [
        {"sign_up_id": 1, "page": 1},
        {"sign_up_id": 2, "page": 1},
    ]
    # A click asks first; only the button in the question cancels.
    assert [q["title"] for q in questions] == ["Annuleren", "Annuleren"]
    first = questions[0]["card"]
    assert first["body"][0]["text"] == (
        "De aanmelding van Sanne de Vries voor Kwaliteit annuleren?"
    )
    assert [(a["type"], a["title"]) for a in first["actions"]] == [
        ("Action.Execute", "Ja, annuleren")
    ]
    assert shows(early, "Annuleren kan tot en met maandag 13 maart 2023.")
    assert shows(early, "Aanmelding van Noah Visser voor Rooster is geannuleerd.")
    assert of_type(late, "Action.Execute") == []
    assert shows(late, "Annuleren kon tot en met maandag 13 maart 2023.")


def test_many_sign_ups_page_and_cancel_back_to_their_page() -> None:
    card = payload("my_sign_ups_full_page")

    cancels = of_type(card, "Action.Execute")
    assert shows(card, "Pagina 2 van 3")
    assert [a["title"] for a in card["actions"]] == [
        "Vorige",
        "Volgende",
        "Trainingen bekijken",
    ]
    assert {b["data"]["page"] for b in cancels if "sign_up_id" in b["data"]} == {2}


def test_no_sign_ups_says_so() -> None:
    assert shows(
        payload("my_sign_ups_none"),
        "Je hebt geen aanmeldingen voor komende trainingen.",
    )


def typed_lines(card: dict[str, Any]) -> list[str]:
    """Each rich text block as one line, as it reads."""
    return [
        "".join(run["text"] for run in block["inlines"])
        for block in of_type(card, "RichTextBlock")
    ]


def test_the_roster_shows_who_comes_with_their_wishes_and_what_is_missing() -> None:
    card = payload("roster")

    assert typed_lines(card) == [
        f"Sanne de Vries ({SCHOOL}): vegetarisch",
        f"Eva Jansen ({OTHER_SCHOOL}): –",
    ]
    assert shows(card, "2 van 12 plaatsen bezet · Nog 4 nodig om door te gaan")
    assert shows(card, "Nog geen aanmeldingen.")


def test_a_dietary_wish_is_shown_as_typed_never_as_formatting() -> None:
    session = replace(kwaliteit(), taken=1)
    wish = "Allergie: <pinda> en *noten*, [zie](http://x.example) __halal__"
    rows = [(session, [sign_up(1, session, "Sanne de Vries", wish)])]

    card = as_payload(roster_card(rows, 1, 1, Language.NL))

    assert typed_lines(card) == [f"Sanne de Vries ({SCHOOL}): {wish}"]
    # Markdown is read in text blocks and facts, never in text runs.
    assert not any(
        wish in str(block.get("text")) for block in of_type(card, "TextBlock")
    )
    assert not any(
        wish in fact["value"] for fs in of_type(card, "FactSet") for fact in fs["facts"]
    )


def seats_inputs(card: dict[str, Any]) -> dict[str, int | None]:
    return {e["id"]: e.get("value") for e in of_type(card, "Input.Number")}


def test_the_roster_lets_a_trainer_change_the_seats_of_each_session() -> None:
    card = payload("roster")
    two_day, one_day = kwaliteit(), leerroutemodel()

    assert seats_inputs(card) == {
        f"seats_{two_day.id}": 12,
        f"seats_{one_day.id}": 12,
    }
    saves = [
        b for b in of_type(card, "Action.Execute") if b["title"] == "Plaatsen opslaan"
    ]
    assert [b["data"] for b in saves] == [
        {"session_id": two_day.id, "page": 1},
        {"session_id": one_day.id, "page": 1},
    ]
    assert {b["verb"] for b in saves} == {actions.SET_SEATS}


def test_a_refused_number_of_seats_is_named_under_its_field_and_typing_kept() -> None:
    card = payload("roster_seats_refused")
    two_day, one_day = kwaliteit(), leerroutemodel()

    assert seats_inputs(card) == {
        f"seats_{two_day.id}": 1,
        f"seats_{one_day.id}": 14,
    }
    errors = [
        e["text"] for e in of_type(card, "TextBlock") if e.get("color") == "attention"
    ]
    assert errors == ["Kies een aantal van 6 tot en met 30."]
    assert shows(
        payload("roster_seats_saved"),
        "Leerroutemodel (donderdag 2 februari 2023) heeft nu 14 plaatsen.",
    )


# Teams refuses a message over 100 KB, as the connector client sends it: JSON with
# every non-ASCII character escaped (an emoji takes twelve bytes).
TEAMS_MESSAGE_LIMIT = 100 * 1024


def roster_of(participant: str, wish: str, school: str) -> list[Any]:
    """Upcoming sessions as full as a trainer may make them, everyone alike."""
    rows = []
    for session in real_sessions():
        full = replace(session, seats=SEATS_MAX, taken=SEATS_MAX)
        people = [sign_up(seat, full, participant, wish, school) for seat in range(30)]
        rows.append((full, people))
    return rows


@pytest.mark.parametrize(
    ("participant", "wish"),
    [
        ("N" * NAME_MAX, "d" * DIETARY_WISHES_MAX),
        ("李" * NAME_MAX, "🥜" * (DIETARY_WISHES_MAX // 2)),
    ],
    ids=["ascii", "escaped"],
)
def test_every_roster_page_of_the_fullest_sessions_fits_a_teams_message(
    participant: str, wish: str
) -> None:
    school = "Stichting voor Praktijkonderwijs en Voortgezet Speciaal Onderwijs"
    roster = roster_of(participant, wish, school)

    pages = roster_pages(roster, Language.NL)

    assert sorted(place for page in pages for place in page) == list(range(len(roster)))
    for number, page in enumerate(pages, start=1):
        card = roster_card([roster[p] for p in page], number, len(pages), Language.NL)
        assert len(json.dumps(as_payload(card))) < TEAMS_MESSAGE_LIMIT


def test_small_sessions_share_a_roster_page() -> None:
    roster = [(session, []) for session in real_sessions()]

    pages = roster_pages(roster, Language.NL)

    assert [len(page) for page in pages] == [4, 4, 4, 4, 2]
