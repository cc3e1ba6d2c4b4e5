"""The bot as Teams reaches it over HTTP, with a stand-in Bot Connector that records
what the bot posts back: failures, auth and the loopback rule."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import SCHEDULER, create_app
from bot.settings import Settings
from domain.people import Role
from domain.trainings import Participant
from store.database import Database

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


class Connector:
    """Records every activity the bot sends, as the Bot Connector would receive it."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.app = web.Application()
        self.app.router.add_post(
            "/v3/conversations/{conversation}/activities", self.post
        )
        self.app.router.add_post(
            "/v3/conversations/{conversation}/activities/{reply_to}", self.post
        )

    async def post(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        return web.json_response({"id": f"sent-{len(self.received)}"})


@pytest.fixture
async def connector() -> AsyncIterator[tuple[Connector, str]]:
    stand_in = Connector()
    server = TestServer(stand_in.app, host="127.0.0.1")
    await server.start_server()
    yield stand_in, str(server.make_url("")).rstrip("/")
    await server.close()


def message(service_url: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "activity-1",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {
            "id": "user-id-0",
            "name": "Sanne",
            "aadObjectId": "00000000-0000-0000-0000-0000000000020",
        },
        "recipient": {"id": "bot", "name": "Presentis"},
        "conversation": {"id": "conversation-1", "conversationType": "personal"},
        "text": text,
    }


async def test_a_failing_turn_tells_the_user_with_a_reference_the_log_carries(
    tmp_path: Path,
    connector: tuple[Connector, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A database without its schema makes every turn fail for real.
    stand_in, service_url = connector
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    app = create_app(settings, Database.connect(settings.database_url))
    app.cleanup_ctx.clear()

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        with caplog.at_level(logging.ERROR, logger="bot.adapter"):
            answer = await client.post(
                "/api/messages", json=message(service_url, "trainingen")
            )

    said = [activity.get("text", "") for activity in stand_in.received]
    assert answer.status in (200, 201)
    assert len(said) == 1
    assert said[0].startswith("Er ging iets mis aan mijn kant.")
    assert "Traceback" not in said[0]
    reference = re.search(r"Kenmerk: ([0-9a-f]{8})", said[0])
    assert reference, said[0]
    assert reference.group(1) in caplog.text


async def test_with_an_app_id_an_unsigned_request_is_refused(
    tmp_path: Path, connector: tuple[Connector, str]
) -> None:
    stand_in, service_url = connector
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/auth.db",
        microsoft_app_id="3f2b6c1e-8d4a-4e7b-9a51-0c6d2e8f7a10",
        microsoft_app_password="not-a-real-secret",
        microsoft_app_tenant_id="6a1c0f3e-2b4d-4c8e-9f10-7d5e3a2b1c00",
    )
    app = create_app(settings, Database.connect(settings.database_url))
    app.cleanup_ctx.clear()

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        answer = await client.post(
            "/api/messages", json=message(service_url, "trainingen")
        )

    assert answer.status == 401
    assert stand_in.received == []


def test_without_auth_the_server_will_not_listen_beyond_loopback(
    tmp_path: Path,
) -> None:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/open.db",
        "BOT_HOST": "0.0.0.0",
        "BOT_PORT": "39781",
    }

    finished = subprocess.run(
        [str(ROOT / ".venv/bin/presentis-bot"), "serve"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )

    assert finished.returncode == 2
    assert "loopback only" in finished.stderr


def test_with_an_app_id_a_missing_secret_stops_start_up() -> None:
    settings = Settings(microsoft_app_id="3f2b6c1e-8d4a-4e7b-9a51-0c6d2e8f7a10")

    refusal = settings.refusal()

    assert refusal is not None
    assert "MICROSOFT_APP_PASSWORD" in refusal


async def test_in_a_group_chat_the_bot_shows_no_ones_data(
    database: Database,
    database_url: str,
    add_staff: Any,
    connector: tuple[Connector, str],
) -> None:
    stand_in, service_url = connector
    await add_staff(
        "Tom Bakker",
        school=None,
        roles=[Role.TRAINER],
        aad_object_id="00000000-0000-0000-0000-0000000000020",
    )
    app = create_app(Settings(database_url=database_url), database)
    app.cleanup_ctx.clear()
    said = message(service_url, "deelnemers")
    said["conversation"] = {"id": "group-1", "conversationType": "groupChat"}

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        answer = await client.post("/api/messages", json=said)

    assert answer.status in (200, 201)
    assert [a.get("text") for a in stand_in.received] == [
        "Ik help je alleen in een persoonlijke chat met mij: daar kan niemand anders "
        "meelezen. Open de chat met de Presentis-assistent."
    ]
    assert not any(a.get("attachments") for a in stand_in.received)


async def test_a_start_removes_no_dietary_wishes_until_a_minute_later(
    database: Database,
    database_url: str,
    add_staff: Any,
    add_session: Any,
) -> None:
    sanne = await add_staff("Sanne de Vries")
    past = await add_session("Leerroutemodel", [date(2023, 2, 2)])
    async with database.unit_of_work() as uow:
        await uow.sign_ups.add(
            "card-1",
            past.id,
            sanne.school.id,
            sanne.id,
            [Participant("Sanne de Vries", "glutenvrij")],
            datetime(2023, 1, 16, tzinfo=UTC),
        )
        await uow.commit()
    app = create_app(
        Settings(database_url=database_url), Database.connect(database_url)
    )

    async with TestClient(TestServer(app, host="127.0.0.1")):
        started = datetime.now(UTC)
        job = app[SCHEDULER].get_job("dietary-wishes.remove")
        async with database.unit_of_work() as uow:
            [kept] = await uow.sign_ups.of_session(past.id)

    assert kept.participant.dietary_wishes == "glutenvrij"
    assert job.next_run_time - started > timedelta(seconds=50)
    assert job.next_run_time - started <= timedelta(minutes=1)
