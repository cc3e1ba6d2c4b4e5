"""Invented schools and staff, linked to the Agents Playground's users.

The Playground's own users are fictional; each gets a staff record of ours so that
acting as another Playground user is acting as another person of ours.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from domain.people import Role
from store.database import Database

logger = logging.getLogger(__name__)

PLAYGROUND_USER = "00000000-0000-0000-0000-0000000000020"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    roles: frozenset[Role]
    school: str | None
    aad_object_id: str


DEMO_PEOPLE = (
    DemoPerson(
        "Sanne de Vries",
        "sanne.devries@horizon.example",
        frozenset({Role.DOCENT, Role.MENTOR}),
        "Praktijkschool De Horizon",
        PLAYGROUND_USER,
    ),
    DemoPerson(
        "Tom Bakker",
        "tom.bakker@presentis.example",
        frozenset({Role.TRAINER}),
        None,
        "00000000-0000-0000-0000-0000000000021",
    ),
    DemoPerson(
        "Eva Jansen",
        "eva.jansen@anker.example",
        frozenset({Role.DOCENT}),
        "Praktijkcollege Het Anker",
        "00000000-0000-0000-0000-0000000000022",
    ),
    DemoPerson(
        "Noah Visser",
        "noah.visser@horizon.example",
        frozenset({Role.DOCENT, Role.ONDERSTEUNINGSTEAM}),
        "Praktijkschool De Horizon",
        "00000000-0000-0000-0000-0000000000023",
    ),
)


TRAINER_USER = "00000000-0000-0000-0000-0000000000021"


async def load_demo(
    database: Database,
    playground_user: str = PLAYGROUND_USER,
    *,
    as_trainer: bool = False,
) -> int:
    """Store the demo people; running it again changes nothing.

    The Playground's own user is the teacher Sanne de Vries, or with `as_trainer` the
    trainer Tom Bakker (and the Playground's second user is Sanne).
    """
    swapped = {PLAYGROUND_USER: TRAINER_USER, TRAINER_USER: PLAYGROUND_USER}
    async with database.unit_of_work() as uow:
        for person in DEMO_PEOPLE:
            school = (
                await uow.staff.school_named(person.school) if person.school else None
            )
            staff = await uow.staff.save(
                person.name, person.email, person.roles, school
            )
            aad_object_id = person.aad_object_id
            if as_trainer:
                aad_object_id = swapped.get(aad_object_id, aad_object_id)
            if aad_object_id == PLAYGROUND_USER:
                aad_object_id = playground_user
            await uow.staff.link_aad_object_id(staff.id, aad_object_id)
        await uow.commit()
    logger.info("demo data loaded: %d people", len(DEMO_PEOPLE))
    return len(DEMO_PEOPLE)
