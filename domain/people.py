"""Schools and the staff who talk to the assistant."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DOCENT = "docent"
    MENTOR = "mentor"
    ONDERSTEUNINGSTEAM = "ondersteuningsteam"
    SCHOOLLEIDING = "schoolleiding"
    APPLICATIEBEHEERDER = "applicatiebeheerder"
    TRAINER = "trainer"
    IMPLEMENTATIECONSULTANT = "implementatieconsultant"


VENDOR_ROLES = frozenset({Role.TRAINER, Role.IMPLEMENTATIECONSULTANT})


@dataclass(frozen=True)
class School:
    id: int
    name: str


@dataclass(frozen=True)
class Staff:
    """A person known to the assistant; the school comes from here, never a tenant."""

    id: int
    name: str
    email: str
    roles: frozenset[Role]
    school: School | None
    aad_object_id: str | None = None

    @property
    def is_vendor(self) -> bool:
        return bool(self.roles & VENDOR_ROLES)

    @property
    def is_trainer(self) -> bool:
        return Role.TRAINER in self.roles
