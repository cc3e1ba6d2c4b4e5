"""Every sentence a user reads, in Dutch first and English second.

Keys are dotted by flow. `say(language, key, **params)` fills the placeholders; dates
and money are formatted for the language by `day`, `days` and `money`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency


class Language(StrEnum):
    NL = "nl"
    EN = "en"


DEFAULT_LANGUAGE = Language.NL

_LOCALES = {Language.NL: "nl_NL", Language.EN: "en_GB"}

TEXTS: dict[str, tuple[str, str]] = {
    # general
    "hello": (
        "Hallo {name}! Ik ben de Presentis-assistent. Waarmee kan ik je helpen?",
        "Hello {name}! I am the Presentis assistant. What can I do for you?",
    ),
    "menu.title": ("Wat wil je doen?", "What would you like to do?"),
    "menu.trainings": ("Trainingen bekijken", "See trainings"),
    "menu.my_sign_ups": ("Mijn aanmeldingen", "My sign-ups"),
    "menu.help": ("Help", "Help"),
    "menu.roster": ("Deelnemers per training", "Participants per training"),
    "menu.language": ("English", "Nederlands"),
    "help.text": (
        "Typ **trainingen** voor de trainingskalender, **aanmelden** om je aan te "
        "melden, **mijn aanmeldingen** om je aanmeldingen te zien of te annuleren. "
        "Typ **English** om naar het Engels te gaan.",
        "Type **trainings** for the training calendar, **sign up** to sign up, "
        "**my sign-ups** to see or cancel your sign-ups. Type **Nederlands** to "
        "switch to Dutch.",
    ),
    "help.text_trainer": (
        "Typ **deelnemers** voor de aanmeldingen per training: wie er komt, met "
        "dieetwensen, en hoeveel plaatsen er zijn; daar pas je ook het aantal "
        "plaatsen aan. Typ **trainingen** voor de kalender zoals scholen hem zien. "
        "Typ **English** om naar het Engels te gaan.",
        "Type **participants** for the sign-ups per training: who comes, with "
        "dietary wishes, and how many seats there are; you change the number of "
        "seats there too. Type **trainings** for the calendar as schools see it. "
        "Type **Nederlands** to switch to Dutch.",
    ),
    "language.switched": (
        "Ik spreek vanaf nu Nederlands met je.",
        "I will speak English with you from now on.",
    ),
    "personal_only": (
        "Ik help je alleen in een persoonlijke chat met mij: daar kan niemand anders "
        "meelezen. Open de chat met de Presentis-assistent.",
        "I only help you in a personal chat with me, where nobody else reads along. "
        "Open the chat with the Presentis assistant.",
    ),
    "unknown_user": (
        "Ik ken je nog niet. Vraag de applicatiebeheerder van je school om je "
        "account te koppelen.",
        "I don't know you yet. Ask your school's application administrator to "
        "link your account.",
    ),
    "not_understood": (
        "Dat begreep ik niet. Bedoel je een van deze?",
        "I did not understand that. Did you mean one of these?",
    ),
    "not_understood.plain": (
        "Dat begreep ik niet. Typ **help** voor wat ik kan.",
        "I did not understand that. Type **help** to see what I can do.",
    ),
    "failure": (
        "Er ging iets mis aan mijn kant. Probeer het zo nog eens. Kenmerk: {ref}",
        "Something went wrong on my side. Please try again shortly. Reference: {ref}",
    ),
    "form.has_errors": (
        "Controleer de velden met een melding.",
        "Please check the fields marked below.",
    ),
    "card.expired": (
        "Deze kaart is verouderd. Vraag een nieuwe op.",
        "This card is out of date. Please ask for a new one.",
    ),
    # trainings list
    "trainings.title": ("Trainingen", "Trainings"),
    "trainings.none": (
        "Er staan geen trainingen gepland.",
        "No trainings are planned.",
    ),
    "trainings.page": ("Pagina {page} van {pages}", "Page {page} of {pages}"),
    "trainings.next": ("Volgende", "Next"),
    "trainings.previous": ("Vorige", "Previous"),
    "trainings.when": ("Wanneer", "When"),
    "trainings.for_whom": ("Voor wie", "For whom"),
    "trainings.price": ("Prijs", "Price"),
    "trainings.price_value": (
        "{amount} per persoon ({days} × {per_day})",
        "{amount} per person ({days} × {per_day})",
    ),
    "trainings.seats": ("Plaatsen", "Seats"),
    "trainings.seats_value": ("{left} van {seats} vrij", "{left} of {seats} free"),
    "trainings.full": ("Vol", "Full"),
    "trainings.two_day": ("tweedaagse", "two-day training"),
    "trainings.sign_up": ("Aanmelden", "Sign up"),
    "trainings.about": ("Wat leer je?", "What is it about?"),
    "trainings.lunch": (
        "Lunch, koffie, thee en drankjes zijn inbegrepen. Elke training kan ook "
        "op maat op je eigen school gegeven worden; vraag een offerte aan.",
        "Lunch, coffee, tea and drinks are included. Every training can also be "
        "given at your own school, tailored; ask for a quote.",
    ),
    "trainings.minimum": (
        "Gaat door vanaf {minimum} deelnemers.",
        "Goes ahead with at least {minimum} participants.",
    ),
    # sign-up
    "signup.title": ("Aanmelden: {title}", "Sign up: {title}"),
    "signup.school": ("School", "School"),
    "signup.participant": ("Deelnemer {row}", "Participant {row}"),
    "signup.name": ("Naam", "Name"),
    "signup.diet": (
        "Dieetwensen (alleen zichtbaar voor de trainer)",
        "Dietary wishes (only the trainer sees these)",
    ),
    "signup.submit": ("Aanmelden", "Sign up"),
    "signup.cancellation_rule": (
        "Annuleren kan tot en met {last_day}.",
        "You can cancel up to and including {last_day}.",
    ),
    "signup.no_cancellation": (
        "Let op: annuleren kan voor deze training niet meer; dat kon tot en met "
        "{last_day}.",
        "Note: this training can no longer be cancelled; that was possible up to "
        "and including {last_day}.",
    ),
    "signup.done": ("Aangemeld", "Signed up"),
    "signup.done_text": (
        "{count} {count|deelnemer|deelnemers} aangemeld voor {title}. Totaal: {total}.",
        "{count} {count|participant|participants} signed up for {title}. Total: "
        "{total}.",
    ),
    "signup.all_cancelled": (
        "Wie je met deze kaart aanmeldde, is inmiddels geannuleerd. Opnieuw "
        "aanmelden gaat via Trainingen bekijken.",
        "Everyone this card signed up has been cancelled since. To sign up again, "
        "go to See trainings.",
    ),
    "signup.participants": ("Deelnemers", "Participants"),
    "signup.total": ("Totaal", "Total"),
    "signup.no_participants": (
        "Vul ten minste één naam in.",
        "Enter at least one name.",
    ),
    "signup.diet_without_name": (
        "Vul de naam in bij deze dieetwens.",
        "Enter the name that goes with this dietary wish.",
    ),
    "signup.name_too_long": (
        "Een naam is hooguit {max} tekens.",
        "A name has at most {max} characters.",
    ),
    "signup.name_not_a_name": (
        "Dit lijkt geen naam.",
        "This does not look like a name.",
    ),
    "signup.name_markup": (
        "Een naam heeft geen tekens als < > * _ [ ] # of |.",
        "A name has no characters such as < > * _ [ ] # or |.",
    ),
    "signup.name_odd_characters": (
        "Een naam bestaat uit letters, eventueel met spaties, cijfers en - ' . , ( ).",
        "A name consists of letters, perhaps with spaces, digits and - ' . , ( ).",
    ),
    "signup.name_twice": (
        "Deze naam staat al hierboven.",
        "This name is already listed above.",
    ),
    "signup.diet_too_long": (
        "Dieetwensen zijn hooguit {max} tekens.",
        "Dietary wishes have at most {max} characters.",
    ),
    "signup.already_signed_up": (
        "{name} staat al ingeschreven voor deze training.",
        "{name} is already signed up for this training.",
    ),
    "signup.full": (
        "Deze training is inmiddels vol.",
        "This training is full by now.",
    ),
    "signup.not_enough_seats": (
        "Er {left|is|zijn} nog {left} {left|plaats|plaatsen} vrij; je meldt {asked} "
        "{asked|deelnemer|deelnemers} aan.",
        "There {left|is|are} {left} {left|seat|seats} left; you are signing up "
        "{asked} {asked|participant|participants}.",
    ),
    "signup.closed": (
        "Aanmelden voor deze training kan niet meer: de training is al begonnen.",
        "Signing up for this training is closed: it has already started.",
    ),
    "signup.session_gone": (
        "Deze training bestaat niet meer.",
        "This training no longer exists.",
    ),
    "signup.vendor": (
        "Aanmelden gaat via een medewerker van een school.",
        "Sign-ups are made by school staff.",
    ),
    "signup.no_school": (
        "Je account is niet aan een school gekoppeld.",
        "Your account is not linked to a school.",
    ),
    # my sign-ups
    "mine.title": ("Mijn aanmeldingen", "My sign-ups"),
    "mine.none": (
        "Je hebt geen aanmeldingen voor komende trainingen.",
        "You have no sign-ups for upcoming trainings.",
    ),
    "mine.vendor": (
        "Als medewerker van Presentis heb je geen eigen aanmeldingen.",
        "As Presentis staff you have no sign-ups of your own.",
    ),
    "mine.cancel": ("Annuleren", "Cancel"),
    "mine.cancel_question": (
        "De aanmelding van {name} voor {title} annuleren?",
        "Cancel {name}'s sign-up for {title}?",
    ),
    "mine.cancel_confirm": ("Ja, annuleren", "Yes, cancel"),
    "mine.cancel_until": (
        "Annuleren kan tot en met {last_day}.",
        "Cancel up to and including {last_day}.",
    ),
    "mine.cancelled": (
        "Aanmelding van {name} voor {title} is geannuleerd.",
        "{name}'s sign-up for {title} is cancelled.",
    ),
    "signup.too_late_to_cancel": (
        "Annuleren kon tot en met {last_day}. Neem contact op met Presentis als "
        "er iets bijzonders is.",
        "Cancelling was possible up to and including {last_day}. Please contact "
        "Presentis if something special is going on.",
    ),
    "mine.not_your_sign_up": (
        "Deze aanmelding kan alleen annuleren wie haar deed of wie aangemeld is.",
        "Only whoever made this sign-up, or whoever it is for, can cancel it.",
    ),
    "mine.not_yours": (
        "Deze aanmelding hoort niet bij jouw school.",
        "This sign-up does not belong to your school.",
    ),
    # trainer view
    "roster.title": ("Deelnemers per training", "Participants per training"),
    "roster.count": (
        "{taken} van {seats} plaatsen bezet",
        "{taken} of {seats} seats taken",
    ),
    "roster.below_minimum": (
        "Nog {missing} nodig om door te gaan",
        "{missing} more needed to go ahead",
    ),
    "roster.not_trainer": (
        "Dit overzicht is er alleen voor trainers.",
        "This overview is for trainers only.",
    ),
    "roster.empty": ("Nog geen aanmeldingen.", "No sign-ups yet."),
    "roster.seats": (
        "Aantal plaatsen ({lowest} tot en met {highest})",
        "Number of seats ({lowest} up to and including {highest})",
    ),
    "roster.save_seats": ("Plaatsen opslaan", "Save seats"),
    "roster.seats_not_a_number": (
        "Vul een heel getal in.",
        "Enter a whole number.",
    ),
    "roster.seats_below_taken": (
        "Er zijn al {taken} aanmeldingen; kies {taken} plaatsen of meer.",
        "There are {taken} sign-ups already; choose {taken} seats or more.",
    ),
    "roster.seats_out_of_range": (
        "Kies een aantal van {lowest} tot en met {highest}.",
        "Choose a number from {lowest} up to and including {highest}.",
    ),
    "roster.seats_saved": (
        "{title} ({when}) heeft nu {seats} plaatsen.",
        "{title} ({when}) now has {seats} seats.",
    ),
    # calendar import (command line)
    "import.added": ("toegevoegd", "added"),
    "import.unchanged": ("ongewijzigd", "unchanged"),
    "import.days_changed": (
        "andere dagen: was {old}",
        "other days: was {old}",
    ),
    "import.not_in_calendar": (
        "staat niet (meer) in deze kalender; bewaard, controleer of de sessie "
        "verplaatst of vervallen is",
        "no longer in this calendar; kept, check whether it moved or was dropped",
    ),
    "import.summary": (
        "{added} {added|sessie|sessies} toegevoegd, {unchanged} ongewijzigd, "
        "{changed} met andere dagen, {missing} niet in de kalender.",
        "{added} {added|session|sessions} added, {unchanged} unchanged, {changed} "
        "with other days, {missing} not in the calendar.",
    ),
    "import.dry_run": (
        "Proefrun: er is niets opgeslagen.",
        "Dry run: nothing was stored.",
    ),
    "calendar.no_year": (
        "Ik vind geen jaartal in de kalender of de aankondiging.",
        "I cannot find a year in the calendar or the announcement.",
    ),
    "import.not_text": (
        "{path} is geen tekstbestand.",
        "{path} is not a text file.",
    ),
    "import.nothing_found": (
        "Ik vind geen trainingen in deze kalender; er is niets opgeslagen.",
        "I find no trainings in this calendar; nothing was stored.",
    ),
    "import.findings": ("Opmerkingen bij de tekst:", "Remarks on the text:"),
    "import.finding.weekday_mismatch": (
        "{title}: {date_text} staat er als '{weekday_written}', maar is een "
        "{weekday_actual}; de datum geldt.",
        "{title}: {date_text} is written as '{weekday_written}' but is a "
        "{weekday_actual}; the date stands.",
    ),
    "import.finding.weekend_day": (
        "{title}: {date_text} valt in het weekend; klopt die datum?",
        "{title}: {date_text} falls in a weekend; is that date right?",
    ),
    "import.finding.unplaced_line": (
        "regel {line_number} kon ik niet plaatsen: {line}",
        "could not place line {line_number}: {line}",
    ),
    "import.finding.unpaired_day": (
        "{title}: {date_text} hoort bij een tweedaagse, maar de andere dag "
        "ontbreekt; opgeslagen als één dag.",
        "{title}: {date_text} belongs to a two-day training, but the other day "
        "is missing; stored as one day.",
    ),
    "import.finding.no_description": (
        "{title}: geen beschrijving in de aankondiging.",
        "{title}: no description in the announcement.",
    ),
    "import.finding.unknown_in_announcement": (
        "{title}: staat in de aankondiging, niet in de kalender.",
        "{title}: in the announcement, not in the calendar.",
    ),
    "import.finding.date_not_in_calendar": (
        "{title}: {date_text} staat in de aankondiging, niet in de kalender.",
        "{title}: {date_text} is in the announcement, not in the calendar.",
    ),
    "import.finding.date_not_in_announcement": (
        "{title}: {date_text} staat in de kalender, niet in de aankondiging.",
        "{title}: {date_text} is in the calendar, not in the announcement.",
    ),
    "import.finding.cross_reference_mismatch": (
        "{title}: de verwijzing bij {date_text} klopt niet met de kalender.",
        "{title}: the cross reference at {date_text} does not match the calendar.",
    ),
}


# "{count|deelnemer|deelnemers}": the first word for a count of one, else the second.
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def say(language: Language, key: str, **params: Any) -> str:
    dutch, english = TEXTS[key]
    template = dutch if language is Language.NL else english
    template = _PLURAL.sub(
        lambda found: found[2] if params[found[1]] == 1 else found[3], template
    )
    formatted = {
        name: day(value, language) if isinstance(value, date) else value
        for name, value in params.items()
    }
    return template.format(**formatted)


def day(value: date, language: Language) -> str:
    """'donderdag 2 februari 2023' or 'Thursday 2 February 2023'."""
    return str(format_date(value, "EEEE d MMMM y", locale=_LOCALES[language]))


def days(values: Sequence[date], language: Language) -> str:
    joiner = " en " if language is Language.NL else " and "
    return joiner.join(day(value, language) for value in values)


def money(amount: Decimal, language: Language) -> str:
    """'€ 250,00' or '€250.00'."""
    return str(format_currency(amount, "EUR", locale=_LOCALES[language]))
