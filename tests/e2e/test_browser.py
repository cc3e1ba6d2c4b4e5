"""The Playground's own web UI in a real Chromium: a teacher signs up by clicking.

The node script (browser_sign_up.mjs, playwright-core) does the clicking; this test
starts it against the session's Playground and reads what it saw. The screenshot
stays in the session's temp folder (its path is printed).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from processes import ROOT, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

SCRIPT = Path(__file__).with_name("browser_sign_up.mjs")
CHROMIUM = Path("/usr/bin/chromium")
PARTICIPANT = "Daan Smit"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
async def test_sign_up_by_clicking_in_the_playground_ui(e2e_stack: Stack) -> None:
    node = shutil.which("node")
    assert node, "node is needed for the Playground anyway"
    out = e2e_stack.directory / "browser"
    process = await asyncio.create_subprocess_exec(
        node,
        str(SCRIPT),
        e2e_stack.playground_url,
        str(out),
        PARTICIPANT,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    steps = stderr.decode(errors="replace")
    assert process.returncode == 0, (
        f"the browser run failed ({process.returncode}); see {out}/failure.png "
        f"and failure.txt\n{steps}"
    )

    seen = json.loads(stdout.decode().strip().splitlines()[-1])
    confirmation = seen["confirmation"].replace("\u00a0", " ")
    assert "Aangemeld" in confirmation
    assert "woensdag 15 maart 2023 en donderdag 16 maart 2023" in confirmation
    assert "€ 500,00" in confirmation
    assert PARTICIPANT in confirmation
    assert "1 deelnemer aangemeld voor Rooster tweedaagse. Totaal: € 500,00." in (
        confirmation
    )
    screenshot = out / "sign-up.png"
    assert screenshot.stat().st_size > 10_000
    print(f"screenshot: {screenshot}\n{steps}")
