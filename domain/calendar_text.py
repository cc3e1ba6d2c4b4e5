"""Reading the vendor's training calendar, and its announcement, from plain text.

The calendar names the days: one entry per line, `02 februari <tab> Leerroutemodel`,
with titles that may run on over the next lines, a year as a lone heading and an
asterisk that marks a day of a two-day training (tweedaagse). The announcement tells
per training what it covers (`Inhoud:`) and who it is for (`Voor wie:`), and repeats
the days (`Wanneer:`), which are checked against the calendar.

Nothing is refused for being messy: what cannot be read is kept as a `Finding`, with
plain params to fill a message, and the rest is read as well as it can be. Only a
calendar whose year cannot be known at all raises `DomainError("calendar.no_year")`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.errors import DomainError
from domain.trainings import Training, training_key

logger = logging.getLogger(__name__)

MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "febr": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

# Index as date.weekday() counts: Monday is 0.
WEEKDAYS: tuple[str, ...] = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
)
SATURDAY = 5
_WEEKDAY_NAMES: dict[str, int] = {
    **{name: index for index, name in enumerate(WEEKDAYS)},
    **{name[:2]: index for index, name in enumerate(WEEKDAYS)},
}

# Words after which a title surely goes on, even when the next line is capitalised.
_CONNECTORS = frozenset(
    {
        "aan", "bij", "de", "door", "een", "en", "het", "in", "inclusief", "met",
        "naar", "of", "om", "ook", "op", "over", "te", "tot", "uit", "van", "voor",
        "zie",
    }
)  # fmt: skip
_OPEN_ENDINGS = ",:;-/&+("


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_MONTH = rf"(?:{_alternation(MONTHS)})(?!\w)\.?"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAY_NAMES)})(?!\w)\.?"

_ENTRY = re.compile(
    rf"""
    (?P<day1>\d{{1,2}})(?!\d)\.?
    (?:\s+(?P<month1>{_MONTH}))?
    (?:\s*(?:en|&|\+|,|/)\s*
        (?P<day2>\d{{1,2}})(?!\d)\.?
        (?:\s+(?P<month2>{_MONTH}))?
    )?
    (?:\s+(?P<year>\d{{4}}))?
    \s*(?P<asterisk>\*)?
    (?:\s(?P<title>.*))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_YEAR_HEADING = re.compile(r"(?:19|20)\d\d")
_CROSS_REFERENCE = re.compile(r"\(\s*(?:dag\s+\d|zie\s+ook)[^)]*\)?", re.IGNORECASE)
_TWO_DAY_MARK = re.compile(r"\bdag\s+[12]\s+van\s+(?:de\s+)?tweedaagse", re.IGNORECASE)
_SEE_ALSO = re.compile(
    rf"zie\s+ook\s+(?:{_WEEKDAY}\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})"
    rf"(?:\s+(?P<year>\d{{4}}))?",
    re.IGNORECASE,
)
_MENTION = re.compile(
    rf"""
    (?:(?<!\w)(?P<weekday>{_WEEKDAY}),?\s+)?
    (?<!\w)(?P<day>\d{{1,2}})(?!\w)
    (?:\s+(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}})(?!\w))?)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_LABEL = re.compile(
    r"\s*(?P<label>wanneer|inhoud|voor\s+wie|waar|locatie|tijd|kosten)\s*:\s*"
    r"(?P<rest>.*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReadSession:
    """One run of a training: one day, or two for a two-day training."""

    days: tuple[date, ...]


@dataclass(frozen=True)
class ReadTraining:
    """A training as the calendar names it, with its sessions in date order."""

    training: Training
    sessions: tuple[ReadSession, ...]


@dataclass(frozen=True)
class Finding:
    """Something the reader noticed; `code` names it, `params` fill its message."""

    code: str
    params: dict[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CalendarReading:
    """All a calendar says, trainings in order of their first session."""

    trainings: tuple[ReadTraining, ...]
    findings: tuple[Finding, ...]


@dataclass(eq=False)
class _Entry:
    """One calendar line with a date, and the lines its title runs on over."""

    line_number: int
    line: str
    days: tuple[tuple[int, int], ...]  # (day, month)
    year: int | None
    asterisk: bool
    fragments: list[str]

    @property
    def text(self) -> str:
        return _join_lines(self.fragments)


@dataclass(eq=False)
class _PlacedEntry:
    """A calendar entry with its dates known."""

    line_number: int
    title: str
    key: str
    days: tuple[date, ...]
    two_day_part: bool
    see_also: date | None


@dataclass
class _CalendarLayout:
    tokens: list[_Entry | int]  # entries and year headings, in calendar order
    unplaced: list[tuple[int, str]]


@dataclass(frozen=True)
class _Mention:
    weekday: str | None
    day: int
    month: int
    year: int | None


@dataclass(frozen=True)
class _Section:
    title: str
    key: str | None
    mentions: tuple[_Mention, ...]
    content: str | None
    audience: str | None


def read_calendar(calendar: str, announcement: str | None = None) -> CalendarReading:
    """The trainings and sessions a calendar text names, described by its announcement.

    Raises `DomainError("calendar.no_year")` when neither text gives a year.
    """
    findings: list[Finding] = []
    layout = _read_layout(_lines(calendar))
    keys = [
        training_key(_clean_title(t.text))
        for t in layout.tokens
        if isinstance(t, _Entry)
    ]
    sections = (
        _read_announcement(_lines(announcement), _title_matcher(keys))
        if announcement is not None
        else []
    )

    start_year = _start_year(layout.tokens, sections)
    placed = _place_entries(layout, start_year, findings)
    trainings = _gather_trainings(placed, findings)
    findings.extend(
        Finding("weekend_day", {"title": read.training.title, "date": day})
        for read in trainings
        for session in read.sessions
        for day in session.days
        if day.weekday() >= SATURDAY
    )

    if announcement is not None:
        trainings = _describe(trainings, sections, findings)
    return CalendarReading(tuple(trainings), tuple(findings))


def _join_lines(lines: Iterable[str]) -> str:
    """Lines as one single-spaced text, mending words hyphenated at a line break."""
    text = ""
    for line in lines:
        part = " ".join(line.split())
        if not part:
            continue
        if not text:
            text = part
        elif text.endswith("/"):
            text += part
        elif (
            text.endswith("-")
            and part[0].islower()
            and not re.match(r"(?:en|of)\b", part)
        ):
            text = text[:-1] + part
        else:
            text += " " + part
    return text


def _lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").splitlines()


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the title (or paragraph) that `previous` began."""
    if not previous:
        return True
    if line[0].islower() or line.startswith("("):
        return True
    last_word = previous.rsplit(" ", 1)[-1].casefold()
    return previous[-1] in _OPEN_ENDINGS or last_word in _CONNECTORS


def _open_parentheses(text: str) -> int:
    return text.count("(") - text.count(")")


def _clean_title(text: str) -> str:
    """The title without cross references such as '(dag 1 van tweedaagse, ...)'."""
    text = _CROSS_REFERENCE.sub(" ", text).strip().rstrip("*")
    return " ".join(text.split())


def _month(name: str) -> int:
    return MONTHS[name.casefold().rstrip(".")]


def _read_layout(lines: Sequence[str]) -> _CalendarLayout:
    """Sort the calendar's lines into entries, year headings and leftovers.

    Lines before the first entry (a heading) and after the last (the footnote and
    the prose below it) are no part of the table; leftovers between entries are.
    """
    tokens: list[_Entry | int] = []
    malformed: list[tuple[int, str]] = []
    loose: list[tuple[int, str]] = []
    entry: _Entry | None = None

    for number, raw in enumerate(lines, start=1):
        text = " ".join(raw.split())
        if not text:
            continue
        depth = _open_parentheses(entry.text) if entry is not None else 0
        if entry is not None and depth > 0 and ")" in text:
            entry.fragments.append(text)
            continue
        if _YEAR_HEADING.fullmatch(text):
            tokens.append(int(text))
            entry = None
            continue
        parsed = _parse_entry(number, text)
        if parsed is not None:
            tokens.append(parsed)
            entry = parsed
            continue
        if text.startswith("*"):
            entry = None  # the footnote that explains the asterisk
            continue
        if entry is not None and (depth > 0 or _continues(entry.text, text)):
            entry.fragments.append(text)
            continue
        entry = None
        (malformed if text[0].isdigit() else loose).append((number, text))

    entry_lines = [t.line_number for t in tokens if isinstance(t, _Entry)]
    inside = [
        (number, text)
        for number, text in loose
        if entry_lines and entry_lines[0] < number < entry_lines[-1]
    ]
    logger.debug("calendar: %d lines outside the table", len(loose) - len(inside))
    return _CalendarLayout(tokens, sorted(malformed + inside))


def _parse_entry(number: int, text: str) -> _Entry | None:
    match = _ENTRY.fullmatch(text)
    if match is None or not (match["month1"] or match["month2"]):
        return None

    first_month = _month(match["month1"] or match["month2"])
    days = [(int(match["day1"]), first_month)]
    if match["day2"]:
        days.append((int(match["day2"]), _month(match["month2"] or match["month1"])))
    if not all(1 <= day <= 31 for day, _ in days):
        return None

    title = (match["title"] or "").strip()
    return _Entry(
        line_number=number,
        line=text,
        days=tuple(days),
        year=int(match["year"]) if match["year"] else None,
        asterisk=bool(match["asterisk"]),
        fragments=[title] if title else [],
    )


def _start_year(tokens: Sequence[_Entry | int], sections: Sequence[_Section]) -> int:
    """The calendar's first year: its heading, else a year the announcement gives."""
    first = tokens[0] if tokens else None
    if isinstance(first, int):
        return first
    if first is None:
        return 0  # nothing to date
    if first.year is not None:
        return first.year

    dated = [m for s in sections for m in s.mentions if m.year is not None]
    first_day, first_month = first.days[0]
    same_day = [m.year for m in dated if (m.day, m.month) == (first_day, first_month)]
    years = [y for y in same_day or [m.year for m in dated] if y is not None]
    if not years:
        raise DomainError("calendar.no_year")
    return min(years)


def _place_entries(
    layout: _CalendarLayout, start_year: int, findings: list[Finding]
) -> list[_PlacedEntry]:
    """Give every entry its dates; a month lower than the one before is next year."""
    placed: list[_PlacedEntry] = []
    unplaced = list(layout.unplaced)
    year, last_month = start_year, 0

    for token in layout.tokens:
        if isinstance(token, int):
            year, last_month = token, 0
            continue
        title = _clean_title(token.text)
        entry_year, entry_last = _years_of(token, year, last_month)
        try:
            days = tuple(
                date(y, month, day)
                for y, (day, month) in zip(entry_year, token.days, strict=True)
            )
        except ValueError:
            days = ()
        if not days or not training_key(title):
            unplaced.append((token.line_number, token.line))
            continue
        year, last_month = entry_year[-1], entry_last
        placed.append(
            _PlacedEntry(
                line_number=token.line_number,
                title=title,
                key=training_key(title),
                days=days,
                two_day_part=_is_two_day_part(token),
                see_also=_see_also(token.text, days[0]),
            )
        )

    findings.extend(
        Finding("unplaced_line", {"line": text, "line_number": number})
        for number, text in sorted(set(unplaced))
    )
    return placed


def _is_two_day_part(entry: _Entry) -> bool:
    """Marked by the asterisk, or in words: '(dag 1 van tweedaagse, ...)'."""
    text = entry.text
    return entry.asterisk or text.endswith("*") or bool(_TWO_DAY_MARK.search(text))


def _years_of(entry: _Entry, year: int, last_month: int) -> tuple[list[int], int]:
    """The year of each day of an entry, and the month it ends in."""
    years: list[int] = []
    for _, month in entry.days:
        if month < last_month:
            year += 1
        years.append(year)
        last_month = month
    if entry.year is not None:
        # A written year belongs to the last day; the days before it may lie a year
        # earlier ("30 december en 2 januari 2024").
        shift = entry.year - years[-1]
        years = [y + shift for y in years]
    return years, last_month


def _see_also(text: str, day: date) -> date | None:
    """The other day a cross reference names, in the year nearest to `day`."""
    match = _SEE_ALSO.search(text)
    if match is None:
        return None

    month, number = _month(match["month"]), int(match["day"])
    years = (
        [int(match["year"])]
        if match["year"]
        else [day.year - 1, day.year, day.year + 1]
    )
    candidates: list[date] = []
    for year in years:
        try:
            candidates.append(date(year, month, number))
        except ValueError:
            continue
    return min(candidates, key=lambda c: abs(c - day), default=None)


def _gather_trainings(
    placed: Sequence[_PlacedEntry], findings: list[Finding]
) -> list[ReadTraining]:
    """Entries grouped by training; the days of a two-day training paired."""
    by_key: dict[str, list[_PlacedEntry]] = {}
    for entry in placed:
        by_key.setdefault(entry.key, []).append(entry)

    trainings: list[tuple[int, ReadTraining]] = []
    for key, entries in by_key.items():
        sessions: list[tuple[date, ...]] = []
        halves = [e for e in entries if e.two_day_part and len(e.days) == 1]
        for entry in entries:
            if entry in halves:
                continue
            if entry.two_day_part:
                sessions.append(entry.days)
            else:
                sessions.extend((day,) for day in entry.days)
        pairs, orphans = _pair_halves(halves)
        for first, second in pairs:
            sessions.append(tuple(sorted(first.days + second.days)))
            findings.extend(_cross_reference_findings(first, second))
        for orphan in orphans:
            findings.append(
                Finding(
                    "unpaired_day",
                    {
                        "title": orphan.title,
                        "date": orphan.days[0],
                        "line_number": orphan.line_number,
                    },
                )
            )
            sessions.append(orphan.days)

        sessions.sort()
        training = Training(key=key, title=entries[0].title)
        read = ReadTraining(training, tuple(ReadSession(days) for days in sessions))
        trainings.append((entries[0].line_number, read))

    trainings.sort(key=lambda item: (item[1].sessions[0].days[0], item[0]))
    return [read for _, read in trainings]


def _pair_halves(
    halves: Sequence[_PlacedEntry],
) -> tuple[list[tuple[_PlacedEntry, _PlacedEntry]], list[_PlacedEntry]]:
    """Pair the days of one two-day training: by cross reference, then in order."""
    waiting = list(halves)
    pairs: list[tuple[_PlacedEntry, _PlacedEntry]] = []

    for half in halves:
        if half not in waiting or half.see_also is None:
            continue
        partner = next(
            (w for w in waiting if w is not half and w.days[0] == half.see_also), None
        )
        if partner is not None:
            waiting.remove(half)
            waiting.remove(partner)
            pairs.append((half, partner))

    while len(waiting) >= 2:
        first, second = waiting.pop(0), waiting.pop(0)
        pairs.append((first, second))
    return pairs, waiting


def _cross_reference_findings(
    first: _PlacedEntry, second: _PlacedEntry
) -> list[Finding]:
    return [
        Finding(
            "cross_reference_mismatch",
            {
                "title": half.title,
                "date": half.days[0],
                "referenced_date": half.see_also,
                "paired_date": other.days[0],
            },
        )
        for half, other in ((first, second), (second, first))
        if half.see_also is not None and half.see_also != other.days[0]
    ]


def _title_matcher(keys: Iterable[str]) -> Callable[[str], str | None]:
    """Find the calendar key of an announcement title; hyphens do not count."""
    exact = set(keys)
    compact = {key.replace("-", ""): key for key in exact}

    def match(title: str) -> str | None:
        key = training_key(title)
        if not key:
            return None
        return key if key in exact else compact.get(key.replace("-", ""))

    return match


def _read_announcement(
    lines: Sequence[str], match: Callable[[str], str | None]
) -> list[_Section]:
    """Sections: a title, then `Wanneer:`, `Inhoud:` and `Voor wie:` paragraphs.

    The title is the text right above `Wanneer:`; a page heading that sits on top of
    it is dropped, by matching the calendar's titles or else by where lines break.
    """
    labels = [_LABEL.fullmatch(line) for line in lines]
    anchors: list[tuple[int, int, str, str | None]] = []
    for index, label in enumerate(labels):
        if label is None or _label_name(label) != "wanneer":
            continue
        top = index
        while top > 0 and lines[top - 1].strip() and labels[top - 1] is None:
            top -= 1
        block = [lines[i].strip() for i in range(top, index)]
        start, title, key = _find_title(block, match)
        if title:
            anchors.append((top + start, index, title, key))

    sections: list[_Section] = []
    for position, (_, index, title, key) in enumerate(anchors):
        end = anchors[position + 1][0] if position + 1 < len(anchors) else len(lines)
        fields = _read_fields(lines[index:end], labels[index:end])
        sections.append(
            _Section(
                title=title,
                key=key,
                mentions=tuple(_mentions(fields.get("wanneer") or "")),
                content=fields.get("inhoud"),
                audience=fields.get("voor wie"),
            )
        )
    return sections


def _label_name(label: re.Match[str]) -> str:
    return " ".join(label["label"].casefold().split())


def _find_title(
    block: Sequence[str], match: Callable[[str], str | None]
) -> tuple[int, str, str | None]:
    """Where the title starts in the lines above `Wanneer:`, the title and its key."""
    for start in range(len(block)):
        title = _join_lines(block[start:])
        key = match(title)
        if key is not None:
            return start, title, key

    start = 0
    for index in range(1, len(block)):
        if not _continues(_join_lines(block[start:index]), block[index]):
            start = index
    return start, _join_lines(block[start:]), None


def _read_fields(
    lines: Sequence[str], labels: Sequence[re.Match[str] | None]
) -> dict[str, str | None]:
    """Each labelled paragraph as single-spaced text; a blank line ends one."""
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None

    for line, label in zip(lines, labels, strict=True):
        if label is not None:
            current = fields.setdefault(_label_name(label), [])
            current.append(label["rest"])
        elif not line.strip():
            current = None
        elif current is not None:
            current.append(line)

    return {name: _join_lines(parts) or None for name, parts in fields.items()}


def _mentions(text: str) -> list[_Mention]:
    """The days a `Wanneer:` text names; '15 en 16 maart' gives two."""
    mentions: list[_Mention] = []
    waiting: list[tuple[str | None, int]] = []

    for match in _MENTION.finditer(text):
        weekday = match["weekday"]
        waiting.append(
            (weekday.casefold().rstrip(".") if weekday else None, int(match["day"]))
        )
        if match["month"] is None:
            continue
        month = _month(match["month"])
        year = int(match["year"]) if match["year"] else None
        mentions.extend(_Mention(w, day, month, year) for w, day in waiting)
        waiting.clear()
    return mentions


def _describe(
    trainings: Sequence[ReadTraining],
    sections: Sequence[_Section],
    findings: list[Finding],
) -> list[ReadTraining]:
    """Attach each training's description and check the announcement's dates."""
    by_key = {read.training.key: read for read in trainings}
    first_day = min((r.sessions[0].days[0] for r in trainings), default=None)
    described: dict[str, _Section] = {}

    for section in sections:
        read = by_key.get(section.key) if section.key is not None else None
        if read is None:
            findings.append(
                Finding("unknown_in_announcement", {"title": section.title})
            )
        elif read.training.key not in described:
            described[read.training.key] = section
        title = read.training.title if read is not None else section.title
        days = [d for s in read.sessions for d in s.days] if read is not None else []
        findings.extend(_check_dates(section, title, days, first_day))

    result: list[ReadTraining] = []
    for read in trainings:
        description = described.get(read.training.key)
        if description is None:
            findings.append(Finding("no_description", {"title": read.training.title}))
            result.append(read)
            continue
        training = Training(
            key=read.training.key,
            title=read.training.title,
            content=description.content,
            audience=description.audience,
        )
        result.append(ReadTraining(training, read.sessions))
    return result


def _check_dates(
    section: _Section, title: str, days: Sequence[date], first_day: date | None
) -> list[Finding]:
    """Weekdays that contradict their dates, and dates the two texts disagree on."""
    findings: list[Finding] = []
    announced: list[date] = []

    for mention in section.mentions:
        day = _mention_date(mention, days, first_day)
        if day is None:
            continue
        announced.append(day)
        if mention.weekday is not None:
            written = _WEEKDAY_NAMES[mention.weekday]
            if written != day.weekday():
                findings.append(
                    Finding(
                        "weekday_mismatch",
                        {
                            "date": day,
                            "weekday_written": WEEKDAYS[written],
                            "weekday_actual": WEEKDAYS[day.weekday()],
                            "title": title,
                        },
                    )
                )

    if section.key is None or not days:
        return findings
    findings.extend(
        Finding("date_not_in_calendar", {"title": title, "date": day})
        for day in announced
        if day not in days
    )
    findings.extend(
        Finding("date_not_in_announcement", {"title": title, "date": day})
        for day in days
        if day not in announced
    )
    return findings


def _mention_date(
    mention: _Mention, days: Sequence[date], first_day: date | None
) -> date | None:
    """The date a mention means; without a year, the calendar's day it names."""
    year = mention.year
    if year is None:
        same = [d for d in days if (d.month, d.day) == (mention.month, mention.day)]
        if same:
            return same[0]
        if first_day is None:
            return None
        year = first_day.year + (mention.month < first_day.month)
    try:
        return date(year, mention.month, mention.day)
    except ValueError:
        logger.debug("announcement: no such date %s-%s", mention.month, mention.day)
        return None
