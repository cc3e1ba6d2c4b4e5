"""The bot and the Agents Playground as processes, for the e2e tests.

- `seed`: `presentis-bot db upgrade`, `demo` and `import-calendar …` on a SQLite file.
- `BotProcess`: `presentis-bot serve --port <free>` with PRESENTIS_TODAY pinned;
  ready when GET /healthz answers.
- `running_stack`: a bot, and `bot.local.start_playground` in front of it; both stop
  when the block ends, also on failure.
- `connect`: a Playground client, Sanne switched to Dutch, nothing else pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from playground import Playground

from bot.local import start_playground, stop_process_group

ROOT = Path(__file__).resolve().parents[2]
BOT_CLI = ROOT / ".venv/bin/presentis-bot"
CALENDAR = ("data/trainingskalender-2023.txt", "data/trainingen-2023-aankondiging.txt")
TODAY = "2023-01-16"
LOG_TAIL_LINES = 40
LOG_LINE_CHARS = 400

# Stacks running now, and those stopped during the current test: a failing test
# gets their logs in its report.
live_stacks: list[Stack] = []
stopped_stacks: list[Stack] = []


def free_port() -> int:
    """A port free on every interface (the Playground listens on all of them)."""
    with socket.socket() as probe:
        probe.bind(("", 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not path.exists():
        return f"({path} does not exist)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(
        line if len(line) <= LOG_LINE_CHARS else line[:LOG_LINE_CHARS] + " …"
        for line in text[-lines:]
    )


def environment(database_url: str, today: str) -> dict[str, str]:
    """The bot's settings; auth off (no app id), whatever a `.env` might say."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PRESENTIS_TODAY": today,
        "MICROSOFT_APP_ID": "",
        "MICROSOFT_APP_PASSWORD": "",
        "BOT_HOST": "127.0.0.1",
        "LOG_LEVEL": "INFO",
    }


def seed(database: Path, log: Path) -> None:
    """Schema, demo people and the 2023 calendar, through the product's own CLI."""
    env = environment(f"sqlite+aiosqlite:///{database}", TODAY)
    with log.open("ab") as output:
        for arguments in (["db", "upgrade"], ["demo"], ["import-calendar", *CALENDAR]):
            output.write(f"$ presentis-bot {' '.join(arguments)}\n".encode())
            output.flush()
            done = subprocess.run(
                [str(BOT_CLI), *arguments],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=60,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(
                    f"presentis-bot {' '.join(arguments)} failed "
                    f"({done.returncode}):\n{tail(log)}"
                )


@dataclass
class BotProcess:
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, database_url: str, today: str) -> None:
        with self.log.open("ab") as output:
            output.write(f"--- serve, today {today} ---\n".encode())
            output.flush()
            self.process = await asyncio.create_subprocess_exec(
                str(BOT_CLI),
                "serve",
                "--port",
                str(self.port),
                cwd=ROOT,
                env=environment(database_url, today),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline and self.process.returncode is None:
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"{self.url}/healthz") as answer:
                        if answer.status == 200:
                            return
                await asyncio.sleep(0.05)
        await self.stop()
        raise RuntimeError(f"the bot did not start:\n{tail(self.log)}")

    async def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            await stop_process_group(process)


@dataclass
class Stack:
    """One bot and one Playground in front of it, with their database and logs."""

    directory: Path
    database: Path
    bot: BotProcess
    playground_port: int
    playground_log: Path
    seeded: Path | None = None
    logs: list[Path] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.database}"

    @property
    def playground_url(self) -> str:
        return f"http://127.0.0.1:{self.playground_port}"

    async def restart_bot(self, today: str) -> None:
        """The same bot address and database, another day: as if time went by."""
        await self.bot.stop()
        await self.bot.start(self.database_url, today)

    def log_tails(self) -> list[tuple[str, str]]:
        return [(f"{path.name} (last lines)", tail(path)) for path in self.logs]


@contextlib.asynccontextmanager
async def running_stack(
    directory: Path, database: Path, today: str
) -> AsyncIterator[Stack]:
    """Start a bot on `database` pinned to `today`, and a Playground for it."""
    bot = BotProcess(free_port(), directory / "bot.log")
    playground_log = directory / "playground.log"
    stack = Stack(
        directory,
        database,
        bot,
        free_port(),
        playground_log,
        logs=[bot.log, playground_log, playground_log.with_suffix(".out")],
    )
    playground = None
    live_stacks.append(stack)
    try:
        await bot.start(stack.database_url, today)
        try:
            playground = await start_playground(
                f"{bot.url}/api/messages", stack.playground_port, playground_log
            )
        except RuntimeError as failure:
            raise RuntimeError(
                f"{failure}\n{tail(playground_log.with_suffix('.out'))}"
            ) from failure
        yield stack
    finally:
        live_stacks.remove(stack)
        stopped_stacks.append(stack)
        if playground is not None:
            await stop_process_group(playground)
        await bot.stop()


DUTCH_AGAIN = "Ik spreek vanaf nu Nederlands met je."


async def connect(url: str, http: aiohttp.ClientSession) -> Playground:
    """A fresh client that has switched Sanne to Dutch and heard nothing else."""
    client = Playground(url, http)
    await client.start()
    await client.say("Nederlands")
    # A message buffered for a previous client may come first: skip to ours.
    await client.wait_for(lambda message: message.text == DUTCH_AGAIN)
    await client.wait_for(lambda message: bool(message.cards))
    await client.quiet(0.1)
    return client
