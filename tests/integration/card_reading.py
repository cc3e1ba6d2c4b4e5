"""Reading a card a flow answered with, as its user reads it."""

from __future__ import annotations

from typing import Any


def error_below(card: dict[str, Any], field: str) -> str | None:
    """The red message right under an input, if there is one."""
    for container in card["body"]:
        items = container.get("items", [])
        for index, item in enumerate(items[:-1]):
            following = items[index + 1]
            if item.get("id") == field and following.get("color") == "attention":
                return str(following["text"])
    return None
