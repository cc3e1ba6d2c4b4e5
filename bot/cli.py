"""The command line: `presentis-bot serve`, `local`, `db upgrade`, `demo`,
`import-calendar` and `app-package`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from aiohttp import web
from pydantic import ValidationError

from bot.settings import Settings
from domain.calendar_text import Finding, read_calendar
from domain.errors import DomainError
from domain.texts import TEXTS, Language, day, days, say
from domain.trainings import DEFAULT_SEATS, MINIMUM_PARTICIPANTS, SEATS_MAX
from store.calendar import ImportReport, import_calendar
from store.database import Database

logger = logging.getLogger(__name__)

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
db_cli = typer.Typer(no_args_is_help=True, help="Database schema.")
cli.add_typer(db_cli, name="db")

T = TypeVar("T")


def _settings(**overrides: Any) -> Settings:
    try:
        settings = Settings(**overrides)
    except ValidationError as wrong:
        for error in wrong.errors():
            where = ".".join(str(part) for part in error["loc"]).upper()
            typer.echo(f"{where}: {error['msg']} ({error.get('input')!r})", err=True)
        raise typer.Exit(2) from None
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # msrest warns of every field Teams sends that the SDK's models lack (such as
    # an Action.Execute's `trigger`): once a card action, and nothing to act on.
    logging.getLogger("msrest.serialization").setLevel(logging.ERROR)
    return settings


def _ready_to_serve(settings: Settings) -> None:
    """Stop on settings the server must not run with; say what is unusual."""
    if refusal := settings.refusal():
        logger.error("not starting: %s", refusal)
        raise typer.Exit(2)
    if not settings.auth_enabled:
        logger.warning(
            "BOT AUTH IS OFF: no MICROSOFT_APP_ID is set. This is for local "
            "development with the Agents Playground only; listening on %s only.",
            settings.bot_host,
        )
    if settings.presentis_today:
        logger.warning("today is pinned to %s", settings.presentis_today.isoformat())
    _make_sqlite_folder(settings.database_url)


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        _make_sqlite_folder(settings.database_url)
        database = Database.connect(settings.database_url)
        try:
            return await work(database)
        finally:
            await database.close()

    return asyncio.run(run())


def _make_sqlite_folder(url: str) -> None:
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url.removeprefix(prefix)).parent.mkdir(parents=True, exist_ok=True)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Overrides BOT_HOST.")] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Overrides BOT_PORT.")
    ] = None,
) -> None:
    """Run the bot: POST /api/messages, GET /healthz."""
    from bot.app import create_app

    overrides: dict[str, Any] = {}
    if host:
        overrides["bot_host"] = host
    if port:
        overrides["bot_port"] = port
    settings = _settings(**overrides)
    _ready_to_serve(settings)
    try:
        web.run_app(
            create_app(settings),
            host=settings.bot_host,
            port=settings.bot_port,
            print=None,
        )
    except OSError as busy:
        logger.error(
            "cannot listen on %s:%s: %s",
            settings.bot_host,
            settings.bot_port,
            busy.strerror or busy,
        )
        raise typer.Exit(1) from busy


@cli.command()
def local(
    playground_port: Annotated[
        int, typer.Option(help="Port of the Agents Playground.")
    ] = 56150,
) -> None:
    """Run the bot with the Agents Playground (the local Teams stand-in)."""
    from bot.local import run_local

    settings = _settings()
    _ready_to_serve(settings)
    try:
        asyncio.run(run_local(settings, playground_port, typer.echo))
    except RuntimeError as failure:
        logger.error("%s", failure)
        raise typer.Exit(1) from failure


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the newest schema."""
    from store.migrate import upgrade

    settings = _settings()
    _with_database(settings, upgrade)


@cli.command()
def demo(
    aad_object_id: Annotated[
        str | None,
        typer.Option(help="Entra object id to link the demo teacher to."),
    ] = None,
    as_trainer: Annotated[
        bool,
        typer.Option(
            "--as-trainer",
            help="Make the Playground's own user the demo trainer, not the teacher.",
        ),
    ] = False,
) -> None:
    """Load invented demo schools and staff, linked to the Playground's users."""
    from bot.demo import PLAYGROUND_USER, load_demo

    settings = _settings()
    count = _with_database(
        settings,
        lambda database: load_demo(
            database, aad_object_id or PLAYGROUND_USER, as_trainer=as_trainer
        ),
    )
    who = "de trainer" if as_trainer else "de docent"
    typer.echo(f"{count} demo-personen opgeslagen; jij bent in de Playground {who}.")


@cli.command("import-calendar")
def import_calendar_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="The calendar, and optionally the announcement that describes it.",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and report; store nothing.")
    ] = False,
    seats: Annotated[
        int,
        typer.Option(
            min=MINIMUM_PARTICIPANTS, max=SEATS_MAX, help="Seats of a new session."
        ),
    ] = DEFAULT_SEATS,
    language: Annotated[
        Language, typer.Option("--language", "--taal", help="Language of the report.")
    ] = Language.NL,
) -> None:
    """Import a training calendar; a second import of the same text changes nothing."""
    settings = _settings()
    texts = [_read_text(path, language) for path in files]
    announcements = [text for text in texts if "Wanneer:" in text]
    calendars = [text for text in texts if "Wanneer:" not in text]
    if len(calendars) != 1 or len(announcements) > 1:
        typer.echo(
            "Geef één kalender en hooguit één aankondiging (met 'Wanneer:').", err=True
        )
        raise typer.Exit(2)

    try:
        reading = read_calendar(
            calendars[0], announcements[0] if announcements else None
        )
    except DomainError as refusal:
        typer.echo(say(language, refusal.text, **refusal.params), err=True)
        raise typer.Exit(1) from refusal
    if not reading.trainings:
        typer.echo(say(language, "import.nothing_found"), err=True)
        raise typer.Exit(1)
    report = _with_database(
        settings,
        lambda database: import_calendar(
            database, reading, seats=seats, dry_run=dry_run
        ),
    )

    _echo_report(report, reading.findings, language)
    if dry_run:
        typer.echo(say(language, "import.dry_run"))


def _read_text(path: Path, language: Language) -> str:
    """A text file as exported: UTF-8 (with or without BOM) or Windows-1252."""
    raw = path.read_bytes()
    try:
        if b"\x00" in raw:
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "a NUL byte")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252")
    except UnicodeDecodeError:
        typer.echo(say(language, "import.not_text", path=path), err=True)
        raise typer.Exit(1) from None


def _echo_report(
    report: ImportReport, findings: tuple[Finding, ...], language: Language
) -> None:
    for line in report.added:
        typer.echo(
            f"+ {line.title}: {days(line.days, language)} "
            f"({say(language, 'import.added')})"
        )
    for line in report.unchanged:
        typer.echo(
            f"= {line.title}: {days(line.days, language)} "
            f"({say(language, 'import.unchanged')})"
        )
    for old, new in report.days_changed:
        was = say(language, "import.days_changed", old=days(old.days, language))
        typer.echo(f"~ {old.title}: {days(new, language)} ({was})")
    for line in report.not_in_calendar:
        typer.echo(
            f"! {line.title}: {days(line.days, language)} "
            f"({say(language, 'import.not_in_calendar')})"
        )
    typer.echo(
        say(
            language,
            "import.summary",
            added=len(report.added),
            unchanged=len(report.unchanged),
            changed=len(report.days_changed),
            missing=len(report.not_in_calendar),
        )
    )
    if findings:
        typer.echo(say(language, "import.findings"))
    for finding in findings:
        typer.echo(f"  - {describe_finding(finding, language)}")


def describe_finding(finding: Finding, language: Language) -> str:
    key = f"import.finding.{finding.code}"
    params = dict(finding.params)
    when = params.get("date")
    if isinstance(when, date):
        params["date_text"] = day(when, language)
    if key not in TEXTS:
        return f"{finding.code}: {params}"
    try:
        return say(language, key, **params)
    except KeyError:
        return f"{finding.code}: {params}"


@cli.command("app-package")
def app_package(
    target: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path(
        "var/presentis-teams.zip"
    ),
    version: Annotated[str | None, typer.Option(help="App version.")] = None,
) -> None:
    """Build the Teams app package for MICROSOFT_APP_ID."""
    from bot.app_package import build_package

    settings = _settings()
    if not settings.microsoft_app_id:
        typer.echo("Zet eerst MICROSOFT_APP_ID (de app-id van de Azure Bot).", err=True)
        raise typer.Exit(2)
    typer.echo(str(build_package(settings.microsoft_app_id, target, version)))


def main() -> None:
    cli(prog_name="presentis-bot")


if __name__ == "__main__":
    main()
