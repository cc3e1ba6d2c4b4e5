"""The Teams app package: a manifest Teams accepts, with our bot id, and its icons."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from bot.app_package import build_package

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "3f2b6c1e-8d4a-4e7b-9a51-0c6d2e8f7a10"


def test_package_carries_the_bot_id_and_both_icons(tmp_path: Path) -> None:
    package = build_package(APP_ID, tmp_path / "app.zip", version="1.2.3")

    with zipfile.ZipFile(package) as opened:
        names = set(opened.namelist())
        manifest = json.loads(opened.read("manifest.json"))
        color = opened.read("color.png")
        outline = opened.read("outline.png")

    assert names == {"manifest.json", "color.png", "outline.png"}
    assert manifest["id"] == APP_ID
    assert [bot["botId"] for bot in manifest["bots"]] == [APP_ID]
    assert manifest["version"] == "1.2.3"
    assert struct.unpack(">II", color[16:24]) == (192, 192)
    assert struct.unpack(">II", outline[16:24]) == (32, 32)


@pytest.mark.integration
def test_manifest_passes_the_teams_schema(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed to validate the manifest"
    manifest = json.loads((ROOT / "appPackage/manifest.json").read_text())
    manifest["id"] = manifest["bots"][0]["botId"] = APP_ID

    answer = subprocess.run(
        [node, str(ROOT / "tests/manifest/validate.cjs")],
        input=json.dumps(manifest),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )

    assert json.loads(answer.stdout) == []


@pytest.mark.integration
def test_schema_check_catches_a_broken_manifest() -> None:
    node = shutil.which("node")
    assert node
    manifest = json.loads((ROOT / "appPackage/manifest.json").read_text())
    manifest["id"] = "not-a-guid"
    del manifest["name"]

    answer = subprocess.run(
        [node, str(ROOT / "tests/manifest/validate.cjs")],
        input=json.dumps(manifest),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )

    assert len(json.loads(answer.stdout)) >= 2
