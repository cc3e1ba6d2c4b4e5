"""Sentences as a user reads them: counted words agree with their number."""

from __future__ import annotations

from domain.texts import Language, say


def test_one_participant_is_singular_and_more_are_plural() -> None:
    one = say(
        Language.NL, "signup.done_text", count=1, title="Kwaliteit", total="€ 500"
    )
    two = say(Language.NL, "signup.done_text", count=2, title="Kwaliteit", total="€ 1")

    assert one.startswith("1 deelnemer aangemeld voor Kwaliteit.")
    assert two.startswith("2 deelnemers aangemeld voor Kwaliteit.")


def test_seats_left_read_right_in_both_languages() -> None:
    assert say(Language.NL, "signup.not_enough_seats", left=1, asked=3) == (
        "Er is nog 1 plaats vrij; je meldt 3 deelnemers aan."
    )
    assert say(Language.NL, "signup.not_enough_seats", left=2, asked=1) == (
        "Er zijn nog 2 plaatsen vrij; je meldt 1 deelnemer aan."
    )
    assert say(Language.EN, "signup.not_enough_seats", left=1, asked=2) == (
        "There is 1 seat left; you are signing up 2 participants."
    )
