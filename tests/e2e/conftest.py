"""The real bot and the real Agents Playground, started once for the e2e tests.

    seed       `presentis-bot db upgrade`, `demo`, `import-calendar …` on <tmp>/e2e.db
    bot        `presentis-bot serve --port <free>` with PRESENTIS_TODAY=2023-01-16,
               ready when GET /healthz answers
    Playground bot.local.start_playground on a free port, pointing at the bot

Everything runs as its own process, as on a developer's machine, and stops at the
end of the session, also when a test or a start fails. Logs stay in the temp
folder; a failing test gets their last lines in its report.

The async fixtures live on the session's event loop (the Playground is an asyncio
subprocess of it), so every e2e test module sets
`pytest.mark.asyncio(loop_scope="session")`.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from playground import Playground
from processes import (
    TODAY,
    Stack,
    connect,
    live_stacks,
    running_stack,
    seed,
    stopped_stacks,
)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def e2e_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """The bot (today 2023-01-16) and the Playground, for the whole session."""
    directory = tmp_path_factory.mktemp("e2e")
    database = directory / "e2e.db"
    seed(database, directory / "seed.log")
    # A clean copy before anyone signs up, for tests that need their own bot.
    seeded = directory / "seeded.db"
    shutil.copyfile(database, seeded)
    async with running_stack(directory, database, TODAY) as stack:
        stack.seeded = seeded
        yield stack


@pytest.fixture
def stack_factory(
    e2e_stack: Stack, tmp_path: Path
) -> Callable[[str], contextlib.AbstractAsyncContextManager[Stack]]:
    """`running_stack` on a fresh copy of the seeded database, in this test's folder."""

    def make(today: str) -> contextlib.AbstractAsyncContextManager[Stack]:
        assert e2e_stack.seeded is not None
        database = tmp_path / "e2e.db"
        shutil.copyfile(e2e_stack.seeded, database)
        return running_stack(tmp_path, database, today)

    return make


@pytest_asyncio.fixture(loop_scope="session")
async def playground(e2e_stack: Stack) -> AsyncIterator[Playground]:
    """A Playground client of the session's stack, Sanne speaking Dutch."""
    async with aiohttp.ClientSession() as http:
        client = await connect(e2e_stack.playground_url, http)
        try:
            yield client
        finally:
            await client.close()


def pytest_runtest_setup(item: pytest.Item) -> None:
    stopped_stacks.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> pytest.TestReport:
    report: pytest.TestReport = yield
    if report.failed:
        for stack in [*live_stacks, *stopped_stacks]:
            for name, text in stack.log_tails():
                report.sections.append((f"{name} in {stack.directory}", text))
    return report
