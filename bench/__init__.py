"""`make bench`: how long the bot takes to answer, against a loopback Bot Connector.

Everything runs in one process and one event loop, on loopback only:

- a stand-in of the Bot Connector that accepts the replies the bot posts and answers
  `{"id": ...}`, counting them per conversation;
- our bot, as `bot.app.create_app` builds it, on a fresh migrated database with the
  demo people and the real 2023 calendar, today pinned to 2023-01-16.

Two turns are driven with real HTTP POSTs of Teams-like activities, one conversation
per simulated user, at 1 and at 20 conversations at once, after a warm-up: the
message "trainingen" (the calendar card comes back through the connector) and the
`Action.Execute` of a sign-up card (the confirmation card is the invoke's answer, and
a sign-up is stored). A turn is done when the bot's HTTP answer arrives. Afterwards the
stand-in's counts and the stored sign-ups are checked against the turns sent.
Logging runs at INFO into a file, as `presentis-bot serve` logs.

This is a measurement, not a test: it prints figures beside the time Teams gives a
bot (15 s for a message, 5 s for a card action), and fails only when a turn
misbehaves.
"""

# A benchmark reports on standard output: print is its interface.
# ruff: noqa: T201

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import logging
import os
import secrets
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg  # type: ignore[import-untyped]
from aiohttp import web
from sqlalchemy import text

from bot.app import create_app
from bot.demo import PLAYGROUND_USER, load_demo
from bot.settings import Settings
from cards import actions
from domain.calendar_text import read_calendar
from store.calendar import import_calendar
from store.database import Database
from store.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = ROOT / "data/trainingskalender-2023.txt"
ANNOUNCEMENT = ROOT / "data/trainingen-2023-aankondiging.txt"
TODAY = date(2023, 1, 16)
SEATS = 100_000  # so that every measured invoke really stores a sign-up
TENANT = "00000000-0000-0000-0000-00000000b3c4"
BOT_ACCOUNT = {"id": "28:presentis-bench", "name": "Presentis"}
POSTGRESQL_URL = os.environ.get(
    "BENCH_POSTGRESQL_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True)
class Load:
    """A fixed number of turns per conversation, after a fixed warm-up."""

    conversations: int
    warm_up: int
    turns: int


LOADS = (Load(1, warm_up=30, turns=300), Load(20, warm_up=3, turns=25))


# --- the stand-in of the Bot Connector ------------------------------------------------


@dataclass
class Connector:
    """Takes the activities a bot posts; counts them by conversation and kind."""

    url: str = ""
    replies: Counter[tuple[str, str]] = field(default_factory=Counter)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def app(self) -> web.Application:
        app = web.Application()
        path = "/v3/conversations/{conversation_id}/activities"
        app.router.add_post(path, self._take)
        app.router.add_post(path + "/{reply_to_id}", self._take)
        return app

    async def _take(self, request: web.Request) -> web.Response:
        activity = await request.json()
        kind = "card" if activity.get("attachments") else "text"
        self.replies[(request.match_info["conversation_id"], kind)] += 1
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    def count(self, conversation_prefix: str, kind: str | None = None) -> int:
        return sum(
            number
            for (conversation, its_kind), number in self.replies.items()
            if conversation.startswith(conversation_prefix) and kind in (None, its_kind)
        )


# --- serving -------------------------------------------------------------------------


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port; yields its base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


# --- the databases --------------------------------------------------------------------


async def prepare(database: Database) -> list[int]:
    """Schema, demo people, the real calendar; the ids of sessions open for sign-up."""
    await upgrade(database)
    await load_demo(database)
    reading = read_calendar(
        CALENDAR.read_text(encoding="utf-8-sig"),
        ANNOUNCEMENT.read_text(encoding="utf-8-sig"),
    )
    await import_calendar(database, reading, seats=SEATS)
    async with database.unit_of_work() as uow:
        sessions, _ = await uow.trainings.upcoming(TODAY, limit=1000)
    open_ones = [session.id for session in sessions if session.first_day > TODAY]
    if not open_ones:
        raise RuntimeError("the calendar has no session open for sign-up")
    return open_ones


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[tuple[str, Database]]:
    with tempfile.TemporaryDirectory(prefix="presentis-bench-") as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        yield url, Database.connect(url)


def _server_address() -> str:
    return POSTGRESQL_URL.replace("postgresql+asyncpg://", "postgresql://")


async def postgresql_unreachable() -> str | None:
    """Why PostgreSQL cannot be measured, if it cannot."""
    try:
        connection = await asyncpg.connect(_server_address(), timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as refused:
        return f"{type(refused).__name__}: {refused}"
    await connection.close()
    return None


@asynccontextmanager
async def postgresql_database() -> AsyncIterator[tuple[str, Database]]:
    """A database of its own, created for this run and dropped after it."""
    name = f"presentis_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_server_address())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = POSTGRESQL_URL.rsplit("/", 1)[0] + f"/{name}"
        try:
            yield url, Database.connect(url)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def count(database: Database, sql: str, **params: Any) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text(sql), params)).scalar_one())


# --- the activities -------------------------------------------------------------------


@dataclass
class Teams:
    """Writes the activities Teams would send, one conversation per user."""

    service_url: str
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def _activity(self, kind: str, conversation: str, **fields: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"f:{next(self._ids)}",
            "timestamp": datetime.now(UTC).isoformat(),
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": {
                "id": f"29:{conversation}",
                "name": "Sanne de Vries",
                "aadObjectId": PLAYGROUND_USER,
            },
            "recipient": BOT_ACCOUNT,
            "conversation": {
                "id": conversation,
                "conversationType": "personal",
                "tenantId": TENANT,
            },
            "channelData": {"tenant": {"id": TENANT}},
            "entities": [
                {
                    "type": "clientInfo",
                    "locale": "nl-NL",
                    "country": "NL",
                    "platform": "Web",
                    "timezone": "Europe/Amsterdam",
                }
            ],
            "locale": "nl-NL",
            "localTimezone": "Europe/Amsterdam",
            **fields,
        }

    def message(self, conversation: str, said: str) -> dict[str, Any]:
        return self._activity("message", conversation, text=said, textFormat="plain")

    def sign_up(self, conversation: str, session_id: int, name: str) -> dict[str, Any]:
        """`Action.Execute` of a sign-up card: a fresh card token, one participant."""
        data = {
            "session_id": session_id,
            "token": secrets.token_urlsafe(16),
            "name_1": name,
            "diet_1": "",
        }
        return self._activity(
            "invoke",
            conversation,
            name="adaptiveCard/action",
            value={
                "action": {
                    "type": "Action.Execute",
                    "verb": actions.SIGN_UP,
                    "data": data,
                },
                "trigger": "manual",
            },
        )


# --- driving and measuring ------------------------------------------------------------

MakeActivity = Callable[[str, int], dict[str, Any]]
CheckAnswer = Callable[[int, bytes], None]


@dataclass(frozen=True)
class Figures:
    case: str
    conversations: int
    turns: int
    median_ms: float
    p99_ms: float
    per_second: float


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def drive(
    http: aiohttp.ClientSession,
    url: str,
    case: str,
    load: Load,
    make: MakeActivity,
    check: CheckAnswer,
) -> Figures:
    """Warm up, then time `load.turns` turns in each of the conversations at once."""
    latencies: list[float] = []

    async def talk(conversation: str, turns: int, timed: bool) -> None:
        for number in range(turns):
            body = json.dumps(make(conversation, number)).encode()
            started = time.perf_counter()
            async with http.post(
                url, data=body, headers={"Content-Type": "application/json"}
            ) as answer:
                payload = await answer.read()
            if timed:
                latencies.append(time.perf_counter() - started)
            check(answer.status, payload)

    conversations = [
        f"bench-{case}-{load.conversations}-{n}" for n in range(load.conversations)
    ]
    await asyncio.gather(*(talk(c, load.warm_up, False) for c in conversations))
    gc.collect()  # the garbage of the case before is not this case's to collect
    started = time.perf_counter()
    await asyncio.gather(*(talk(c, load.turns, True) for c in conversations))
    elapsed = time.perf_counter() - started

    return Figures(
        case,
        load.conversations,
        len(latencies),
        statistics.median(latencies) * 1000,
        percentile(latencies, 0.99) * 1000,
        len(latencies) / elapsed,
    )


def expect_created(status: int, payload: bytes) -> None:
    if status not in (200, 201):
        raise AssertionError(f"the bot answered {status}: {payload[:300]!r}")


def expect_signed_up_card(status: int, payload: bytes) -> None:
    """The invoke answers with the confirmation card, not the form again."""
    if status != 200:
        raise AssertionError(f"the invoke answered {status}: {payload[:300]!r}")
    answer = json.loads(payload)
    card = answer.get("value") or {}
    first = (card.get("body") or [{}])[0].get("text", "")
    if answer.get("statusCode") != 200 or not first.startswith("✅"):
        raise AssertionError(f"the sign-up was not confirmed: {payload[:300]!r}")


def turns_sent(load: Load) -> int:
    return load.conversations * (load.warm_up + load.turns)


# --- the cases ------------------------------------------------------------------------


async def measure_our_bot(
    http: aiohttp.ClientSession,
    connector: Connector,
    store: str,
    database_url: str,
    database: Database,
) -> list[Figures]:
    """Our "trainingen" message turn and our sign-up card action, on one database."""
    open_sessions = await prepare(database)
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        presentis_today=TODAY,
        microsoft_app_id="",
        log_level="INFO",
    )
    teams = Teams(connector.url)
    session_ids = itertools.cycle(open_sessions)
    names = itertools.count(1)
    figures = []

    async with serving(create_app(settings, database)) as url:
        endpoint = f"{url}/api/messages"
        for load in LOADS:
            case = f"message-{store}"
            figures.append(
                await drive(
                    http,
                    endpoint,
                    "our message",
                    load,
                    lambda c, n: teams.message(c, "trainingen"),
                    expect_created,
                )
            )
            sent = turns_sent(load)
            prefix = f"bench-our message-{load.conversations}-"
            cards = connector.count(prefix, "card")
            if cards != sent or connector.count(prefix) != sent:
                raise AssertionError(f"{case}: {sent} turns, {cards} calendar cards")
            connector.replies.clear()

        for load in LOADS:
            before = await count(database, "SELECT count(*) FROM sign_ups")
            figures.append(
                await drive(
                    http,
                    endpoint,
                    "our sign-up",
                    load,
                    lambda c, n: teams.sign_up(
                        c, next(session_ids), f"Deelnemer {store} {next(names)}"
                    ),
                    expect_signed_up_card,
                )
            )
            sent = turns_sent(load)
            stored = await count(database, "SELECT count(*) FROM sign_ups") - before
            if stored != sent:
                raise AssertionError(
                    f"sign-up ({store}): {sent} turns, {stored} stored"
                )
            if connector.count("bench-our sign-up"):
                raise AssertionError("an invoke posted to the connector")
    return figures


# --- the report -----------------------------------------------------------------------


def _row(figures: Figures | None) -> str:
    if figures is None:
        return f"{'':>8} {'':>8} {'':>9}"
    return f"{figures.median_ms:8.2f} {figures.p99_ms:8.2f} {figures.per_second:9.0f}"


def _find(figures: list[Figures], case: str, conversations: int) -> Figures | None:
    for found in figures:
        if found.case == case and found.conversations == conversations:
            return found
    return None


MESSAGE_LIMIT_MS = 15_000  # Teams' time for an answer to a message
INVOKE_LIMIT_MS = 5_000  # and to a card action
CASES = (("our message", MESSAGE_LIMIT_MS), ("our sign-up", INVOKE_LIMIT_MS))


def print_table(stores: dict[str, list[Figures] | str]) -> None:
    measured = {name: f for name, f in stores.items() if isinstance(f, list)}
    header = f"{'case':<12} {'conv':>4} "
    header += " | ".join(
        f"{name + ': median ms   p99 ms   turns/s':>28}" for name in measured
    )
    print(header)
    print("-" * len(header))
    for case, _ in CASES:
        for load in LOADS:
            cells = [
                f"{'':>{len(name) + 1}}"
                + _row(_find(figures, case, load.conversations))
                for name, figures in measured.items()
            ]
            print(f"{case:<12} {load.conversations:>4} " + " | ".join(cells))
    for name, figures in stores.items():
        if isinstance(figures, str):
            print(f"{name}: not measured ({figures})")
    print()
    print(
        f"turns per case: {LOADS[0].turns} at 1 conversation, "
        f"{LOADS[1].conversations}×{LOADS[1].turns} at {LOADS[1].conversations}; "
        "warm-up not counted."
    )


def print_limits(stores: dict[str, list[Figures] | str]) -> None:
    """The slowest turn measured, against the time Teams gives it."""
    for name, figures in stores.items():
        if isinstance(figures, str):
            continue
        for case, limit_ms in CASES:
            worst = max(f.p99_ms for f in figures if f.case == case)
            verdict = "within" if worst < limit_ms else "OVER"
            print(
                f"{name}: {case}, p99 at most {worst:.0f} ms; Teams allows "
                f"{limit_ms / 1000:.0f} s: {verdict}"
            )


# --- the run --------------------------------------------------------------------------


def _log_to(path: Path) -> None:
    handler = logging.FileHandler(path)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


async def run(*, postgresql: bool = True) -> int:
    log_file = Path(tempfile.gettempdir()) / "presentis-bench.log"
    _log_to(log_file)
    connector = Connector()
    stores: dict[str, list[Figures] | str] = {}
    started = time.perf_counter()

    connector_timeout = aiohttp.ClientTimeout(total=60)
    async with (
        serving(connector.app()) as connector_url,
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), timeout=connector_timeout
        ) as http,
    ):
        connector.url = connector_url
        async with sqlite_database() as (url, database):
            stores["SQLite"] = await measure_our_bot(
                http, connector, "sqlite", url, database
            )
        connector.replies.clear()

        unreachable = await postgresql_unreachable() if postgresql else "skipped"
        if unreachable:
            stores["PostgreSQL"] = unreachable
        else:
            async with postgresql_database() as (url, database):
                stores["PostgreSQL"] = await measure_our_bot(
                    http, connector, "postgresql", url, database
                )

    print()
    print_table(stores)
    print()
    print_limits(stores)
    print()
    print(f"run took {time.perf_counter() - started:.0f} s; log in {log_file}")
    return 0
