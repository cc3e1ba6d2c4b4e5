"""The bot and the Microsoft 365 Agents Playground together, for a local try-out.

The Playground is Microsoft's offline stand-in for the Teams client and the Bot
Connector. It is a development tool and listens on all interfaces: run it only on a
machine you trust.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
from collections.abc import Callable
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.app import create_app
from bot.settings import Settings

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND_CLI = ROOT / "node_modules/@microsoft/m365agentsplayground/cli.js"
# Its people are our demo staff; its personal chat has this id.
PLAYGROUND_CONFIG = Path(__file__).with_name("playground.yml")
CONVERSATION_ID = "presentis-personal-chat"


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def playground_command(bot_url: str, port: int) -> list[str]:
    """The Playground's command line; it stops when its parent process dies.

    util-linux's setpriv, where there is one, asks the kernel for that, so a bot
    killed outright does not leave the Playground holding its port.
    """
    node = shutil.which("node") or "node"
    setpriv = shutil.which("setpriv")
    watched = [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []
    return [
        *watched,
        node,
        str(PLAYGROUND_CLI),
        "-e",
        bot_url,
        "-c",
        "msteams",
        "-p",
        str(port),
        "--conversation-id",
        CONVERSATION_ID,
        "--disable-telemetry",
        "--service-url",
        f"http://127.0.0.1:{port}/_connector",
    ]


async def start_playground(
    bot_url: str, port: int, log_file: Path
) -> asyncio.subprocess.Process:
    """Start the Playground and wait until it answers its ping."""
    if not PLAYGROUND_CLI.exists():
        raise RuntimeError("the Agents Playground is not installed: run `npm ci`")
    if not _port_is_free(port):
        raise RuntimeError(await _why_taken(port))
    log_file.parent.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "TEAMSAPPTESTER_BROWSER": "none",
        "M365_AGENTS_PLAYGROUND_CONFIG_PATH": str(PLAYGROUND_CONFIG),
        "M365_AGENTS_PLAYGROUND_LOGFILE": str(log_file),
    }
    with log_file.with_suffix(".out").open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            *playground_command(bot_url, port),
            env=environment,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    async with aiohttp.ClientSession() as http:
        for _ in range(150):
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"http://127.0.0.1:{port}/_debug/ping") as answer:
                    if await answer.text() == "pong":
                        return process
            if process.returncode is not None:
                break
            await asyncio.sleep(0.2)
    await stop_process_group(process)
    raise RuntimeError(f"the Playground did not start; see {log_file}")


async def _why_taken(port: int) -> str:
    """What holds the Playground's port, as far as one can tell from outside."""
    with contextlib.suppress(aiohttp.ClientError):
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/_debug/ping") as answer,
        ):
            if await answer.text() == "pong":
                return (
                    f"an Agents Playground from an earlier run still listens on "
                    f"port {port}; stop just that one with: "
                    f"pkill -f 'm365agentsplayground/cli.js .*-p {port} '"
                )
    return f"port {port} is taken; the Playground needs it"


async def stop_process_group(process: asyncio.subprocess.Process) -> None:
    """SIGTERM to the process and its children, SIGKILL after ten seconds."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 10)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()


async def run_local(
    settings: Settings, playground_port: int, announce: Callable[[str], None]
) -> None:
    """Serve the bot and the Playground until Ctrl-C, then stop both."""
    runner = web.AppRunner(create_app(settings))
    await runner.setup()
    site = web.TCPSite(runner, settings.bot_host, settings.bot_port)
    try:
        await site.start()
    except OSError as busy:
        await runner.cleanup()
        raise RuntimeError(
            f"the bot cannot listen on {settings.bot_host}:{settings.bot_port}: "
            f"{busy.strerror or busy}"
        ) from busy
    bot_url = f"http://{settings.bot_host}:{settings.bot_port}/api/messages"
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stopping.set)

    playground = None
    try:
        playground = await start_playground(
            bot_url, playground_port, ROOT / "var/playground.log"
        )
        announce(
            f"Bot: {bot_url}\n"
            f"Open the Teams stand-in (Agents Playground) in your browser: "
            f"http://127.0.0.1:{playground_port}\n"
            f"Stop with Ctrl-C."
        )
        waiting = asyncio.ensure_future(stopping.wait())
        exited = asyncio.ensure_future(playground.wait())
        await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited.done():
            logger.error("the Playground stopped by itself; see var/playground.log")
        for task in (waiting, exited):
            task.cancel()
    finally:
        if playground is not None:
            await stop_process_group(playground)
        await runner.cleanup()
        logger.info("bot and Playground stopped")
