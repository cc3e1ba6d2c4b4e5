"""The aiohttp application: the Bot Framework endpoint, health, and background jobs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.core import UserState
from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
)

from bot.adapter import PresentisAdapter
from bot.handler import PresentisBot
from bot.settings import Settings
from bot.storage import DatabaseStorage
from domain.clock import SCHOOL_TIME
from store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _BotConfiguration:
    """The attribute names the SDK's configuration classes look for."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


FIRST_RUN_AFTER_START = timedelta(minutes=1)

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
ADAPTER = web.AppKey("adapter", PresentisAdapter)
BOT = web.AppKey("bot", PresentisBot)
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)


def make_adapter(settings: Settings) -> PresentisAdapter:
    configuration = _BotConfiguration(
        APP_ID=settings.microsoft_app_id,
        APP_PASSWORD=settings.microsoft_app_password.get_secret_value(),
        APP_TYPE="SingleTenant" if settings.auth_enabled else "MultiTenant",
        APP_TENANTID=settings.microsoft_app_tenant_id,
    )
    return PresentisAdapter(ConfigurationBotFrameworkAuthentication(configuration))


async def messages(request: web.Request) -> web.StreamResponse:
    app = request.app
    return await app[ADAPTER].process(request, app[BOT])


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def remove_old_dietary_wishes(database: Database, settings: Settings) -> None:
    """Dietary wishes may reveal health or religion: kept only a while after."""
    now = settings.clock.now()
    today = now.astimezone(SCHOOL_TIME).date()
    cutoff = today - timedelta(days=settings.dietary_wishes_keep_days)
    async with database.unit_of_work() as uow:
        removed = await uow.sign_ups.remove_dietary_wishes(cutoff, now)
        await uow.commit()
    if removed:
        logger.info("removed the dietary wishes of %d past sign-up(s)", removed)


def create_app(settings: Settings, database: Database | None = None) -> web.Application:
    """The whole bot, wired once. Pass `database` to share one (tests, benchmarks)."""
    database = database or Database.connect(settings.database_url)
    user_state = UserState(DatabaseStorage(database))

    app = web.Application()
    app[SETTINGS] = settings
    app[DATABASE] = database
    app[ADAPTER] = make_adapter(settings)
    app[BOT] = PresentisBot(database, user_state, settings.clock)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.cleanup_ctx.append(_scheduled_jobs)
    return app


async def _scheduled_jobs(app: web.Application) -> AsyncIterator[None]:
    """Daily at 03:00, and first a minute after start: that catches up on a night
    the bot was down, and a start that fails (a port taken) removes nothing."""
    scheduler = AsyncIOScheduler(timezone="Europe/Amsterdam")
    scheduler.add_job(
        remove_old_dietary_wishes,
        "cron",
        hour=3,
        id="dietary-wishes.remove",
        args=[app[DATABASE], app[SETTINGS]],
        replace_existing=True,
        next_run_time=datetime.now(UTC) + FIRST_RUN_AFTER_START,
    )
    scheduler.start()
    app[SCHEDULER] = scheduler
    yield
    scheduler.shutdown(wait=False)
    await app[DATABASE].close()
