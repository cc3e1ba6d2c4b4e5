"""Errors the domain raises, each safe to show a user once translated.

DomainError                  a rule of the school says no
├── NotAllowed               the person lacks the role or the school
├── NotFound                 the thing asked for does not exist (any more)
└── InvalidInput             a form has fields that are wrong; carries them all
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass
class DomainError(Exception):
    """`text` is a key in `domain.texts`; `params` fill its placeholders."""

    text: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return self.text


class NotAllowed(DomainError):
    pass


class NotFound(DomainError):
    pass


@dataclass
class FieldError:
    field: str
    text: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class InvalidInput(DomainError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("form.has_errors", {"count": len(errors)})
        self.errors = errors

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)
