"""Builds the Teams app package: the manifest with the bot's app id, and the icons."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SOURCE = Path(__file__).resolve().parent.parent / "appPackage"


def manifest_for(app_id: str, version: str | None = None) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((SOURCE / "manifest.json").read_text())
    manifest["id"] = app_id
    for bot in manifest["bots"]:
        bot["botId"] = app_id
    if version:
        manifest["version"] = version
    return manifest


def build_package(app_id: str, target: Path, version: str | None = None) -> Path:
    manifest = manifest_for(app_id, version)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2))
        for icon in (manifest["icons"]["color"], manifest["icons"]["outline"]):
            package.write(SOURCE / icon, icon)
    logger.info("Teams app package written to %s", target)
    return target
