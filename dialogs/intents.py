"""From what a teacher types to a flow: an exact phrase, else the closest ones.

Teachers type fast; rapidfuzz's WRatio forgives typos and word order. A clear winner
runs its flow; two near candidates are offered as buttons; anything else gets help.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from cards import actions

logger = logging.getLogger(__name__)

SURE = 88
UNSURE = 65

PHRASES: dict[str, str] = {
    # Dutch
    "trainingen": actions.SHOW_TRAININGS,
    "training": actions.SHOW_TRAININGS,
    "trainingskalender": actions.SHOW_TRAININGS,
    "kalender": actions.SHOW_TRAININGS,
    "aanmelden": actions.SHOW_TRAININGS,
    "aanmelden training": actions.SHOW_TRAININGS,
    "inschrijven": actions.SHOW_TRAININGS,
    "mijn aanmeldingen": actions.SHOW_MY_SIGN_UPS,
    "aanmeldingen": actions.SHOW_MY_SIGN_UPS,
    "annuleren": actions.SHOW_MY_SIGN_UPS,
    "afmelden": actions.SHOW_MY_SIGN_UPS,
    "deelnemers": actions.SHOW_ROSTER,
    "deelnemerslijst": actions.SHOW_ROSTER,
    "help": actions.SHOW_HELP,
    "hulp": actions.SHOW_HELP,
    "wat kun je": actions.SHOW_HELP,
    "menu": actions.SHOW_MENU,
    "hallo": actions.SHOW_MENU,
    "hoi": actions.SHOW_MENU,
    "start": actions.SHOW_MENU,
    # English
    "trainings": actions.SHOW_TRAININGS,
    "training calendar": actions.SHOW_TRAININGS,
    "sign up": actions.SHOW_TRAININGS,
    "my sign-ups": actions.SHOW_MY_SIGN_UPS,
    "my sign ups": actions.SHOW_MY_SIGN_UPS,
    "cancel": actions.SHOW_MY_SIGN_UPS,
    "participants": actions.SHOW_ROSTER,
    "roster": actions.SHOW_ROSTER,
    "hello": actions.SHOW_MENU,
    "hi": actions.SHOW_MENU,
}

LANGUAGE_WORDS: dict[str, str] = {
    "english": "en",
    "engels": "en",
    "nederlands": "nl",
    "dutch": "nl",
}


@dataclass(frozen=True)
class Understood:
    """`action` when sure; else up to two `candidates` to offer, maybe none."""

    action: str | None
    candidates: tuple[str, ...] = ()
    language: str | None = None


def understand(said: str) -> Understood:
    words = utils.default_process(said)
    if not words:
        return Understood(None)
    if words in LANGUAGE_WORDS:
        return Understood(actions.SWITCH_LANGUAGE, language=LANGUAGE_WORDS[words])
    if words in PHRASES:
        return Understood(PHRASES[words])

    ranked = process.extract(
        words, list(PHRASES), scorer=fuzz.WRatio, processor=None, limit=8
    )
    candidates: list[str] = []
    best = ranked[0][1] if ranked else 0.0
    for phrase, score, _ in ranked:
        action = PHRASES[phrase]
        if score >= UNSURE and action not in candidates:
            candidates.append(action)
    if best >= SURE and len(candidates) >= 1:
        runner_up = [
            score for phrase, score, _ in ranked if PHRASES[phrase] != candidates[0]
        ]
        if not runner_up or best - runner_up[0] >= 5:
            return Understood(candidates[0])
    logger.debug("unsure about a message; %d candidates", len(candidates))
    return Understood(None, tuple(candidates[:2]))
