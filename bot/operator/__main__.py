"""The operator console in a terminal, over the same store and audit trail as the web page.

Usage:
    python -m bot.operator hash-password           # prints an argon2 hash for the accounts file
    python -m bot.operator list [--status ready] [--search TEXT] [--page 2]
    python -m bot.operator show SE-000042-1
    python -m bot.operator export SE-000042-1 [--output DIR]
    python -m bot.operator queue                   # travellers waiting for a person
    python -m bot.operator reply SE-000042-1 "Bonjour, …"   # sent by the running bot

The store is ``DATABASE_URL`` or ``DATABASE_PATH`` (as for the bot); the trail names
``shell:<OS user>``.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.catalog import get_catalog
from bot.operator.accounts import hash_password
from bot.operator.dossier import (
    PARIS,
    Dossier,
    build_dossier,
    export_data,
    paris_time,
    step_of,
    summary_pdf,
)
from bot.operator.handoff import MAX_REPLY, waiting_list
from bot.operator.params import MAX_PAGE
from bot.operator.passwords import weakness
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage.operator_queries import Filters, OperatorStore, open_operator_store
from bot.storage.operator_queries import reference_number as parse_reference
from states.events import AgentReply, Take
from states.machine import HANDOFF

PAGE_SIZE = 50


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _actor() -> str:
    return f"shell:{getpass.getuser()}"


def _read_password() -> str:
    t = get_catalog("fr").text
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(t("operator.cli.password"))
    if first != getpass.getpass(t("operator.cli.password_again")):
        raise SystemExit(t("operator.cli.password_mismatch"))
    return first


async def _list(store: OperatorStore, args: argparse.Namespace) -> None:
    t = get_catalog("fr").text
    filters = Filters(text=args.search or "", status=args.status or "")
    page = await store.conversations(filters, args.page, PAGE_SIZE)
    detail = " ".join(filter(None, [f"page={args.page}",
                                    f"statut={args.status}" if args.status else "",
                                    "q=…" if args.search else ""]))
    await store.record(_actor(), "list", detail=detail)
    _say(t("operator.list.count", total=page.total, number=page.number, pages=page.pages))
    for row in page.rows:
        _say("  ".join([row.reference, t(f"operator.status.{row.status}"),
                        t(f"operator.step.{step_of(row.state)}"), row.country or "—",
                        (row.beneficiary or "—").upper(), row.updated_at]))


async def _dossier(store: OperatorStore, reference: str) -> Dossier:
    number = parse_reference(reference)
    row = await store.conversation(number) if number is not None else None
    snapshot = await store.snapshot(row.chat_id) if row else None
    if row is None or snapshot is None:
        raise SystemExit(get_catalog("fr").text("operator.error.not_found"))
    return build_dossier(row, snapshot, transcript=await store.transcript(row.chat_id),
                         events=await store.events(row.chat_id),
                         documents=await store.documents(row.chat_id),
                         ready=await store.ready_claims(row.chat_id),
                         today=datetime.now(PARIS).date())


async def _show(store: OperatorStore, args: argparse.Namespace) -> None:
    t = get_catalog("fr").text
    dossier = await _dossier(store, args.id)
    await store.record(_actor(), "view", dossier.reference)
    _say(t("operator.conversation.title", reference=dossier.reference))
    _say(t(f"operator.status.{dossier.snapshot.status.value}"))
    for title, fields in dossier.sections:
        _say(f"\n{title}")
        for field in fields:
            _say(f"  {field.label} : {field.value}")
    _say(f"\n{t('operator.conversation.findings')}")
    for finding in dossier.evaluation.findings:
        _say(f"  [{finding.rule_id}] {finding.level.value} {finding.text}")
    _say(f"\n{t('operator.conversation.documents')}")
    for doc in dossier.documents:
        _say(f"  {doc.id}  {doc.filename}  {doc.page_count} p.")
    _say(f"\n{t('operator.conversation.transcript')}")
    for line in dossier.transcript:
        _say(f"  {line.at} {'>' if line.direction == 'in' else '<'} {line.plain}")


def _write(output: Path, reference: str, data: dict[str, object], pdf: bytes) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    json_path = output / f"{reference}.json"
    pdf_path = output / f"{reference}_recapitulatif.pdf"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    pdf_path.write_bytes(pdf)
    return [json_path, pdf_path]


async def _export(store: OperatorStore, args: argparse.Namespace) -> None:
    dossier = await _dossier(store, args.id)
    pdf = await summary_pdf(dossier)
    json_path, pdf_path = await asyncio.to_thread(_write, Path(args.output), dossier.reference,
                                                  export_data(dossier), pdf)
    await store.record(_actor(), "export_json", dossier.reference)
    await store.record(_actor(), "export_pdf", dossier.reference)
    _say(get_catalog("fr").text("operator.cli.exported", json=json_path, pdf=pdf_path))


async def _queue(store: OperatorStore, _: argparse.Namespace) -> None:
    t = get_catalog("fr").text
    rows = await waiting_list(store, datetime.now(UTC))
    await store.record(_actor(), "queue", detail=f"{len(rows)}")
    if not rows:
        _say(t("operator.cli.queue_empty"))
    for row in rows:
        _say(t("operator.cli.queue_line", reference=row.reference,
               status=t(f"operator.queue.status.{row.handoff.queue.value}"),
               agent=row.handoff.agent or "—", asked=paris_time(row.handoff.asked_at.isoformat()),
               waited=row.waited, beneficiary=(row.beneficiary or "—").upper()))


async def _reply(store: OperatorStore, args: argparse.Namespace) -> None:
    """Reply as the shell user; a conversation not with a person is taken first (audited)."""
    t = get_catalog("fr").text
    text = args.text.strip().replace("\x00", "")
    if not text:
        raise SystemExit(t("operator.error.reply_empty"))
    if len(text) > MAX_REPLY:
        raise SystemExit(t("operator.error.reply_too_long"))
    number = parse_reference(args.id)
    row = await store.conversation(number) if number is not None else None
    if row is None:
        raise SystemExit(t("operator.cli.not_found", reference=args.id))
    service, who = ConversationService(store.repository), _actor()
    if row.state != HANDOFF and await service.act(row.chat_id, Take(who)):
        await store.record(who, "take", row.reference)
    if not await service.act(row.chat_id, AgentReply(who, text)):
        raise SystemExit(t("operator.error.not_with_person"))
    await store.record(who, "reply", row.reference, detail="texte")
    _say(t("operator.cli.replied", reference=row.reference))


async def _run(args: argparse.Namespace, database: Path | str) -> None:
    store = await open_operator_store(database)
    commands = {"list": _list, "show": _show, "export": _export, "queue": _queue,
                "reply": _reply}
    try:
        await commands[args.command](store, args)
    finally:
        await store.close()


def _page(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise argparse.ArgumentTypeError(get_catalog("fr").text("operator.error.bad_page"))
    return int(raw)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.operator",
                                     description=get_catalog("fr").text("operator.cli.about"))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("hash-password")
    listing = commands.add_parser("list")
    listing.add_argument("--status", choices=["in_progress", "ready", "blocked", "abandoned"])
    listing.add_argument("--search")
    listing.add_argument("--page", type=_page, default=1)
    commands.add_parser("show").add_argument("id")
    export = commands.add_parser("export")
    export.add_argument("id")
    export.add_argument("--output", default=".")
    commands.add_parser("queue")
    answer = commands.add_parser("reply")
    answer.add_argument("id")
    answer.add_argument("text")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run one console command."""
    args = _parser().parse_args(argv)
    if args.command == "hash-password":
        password = _read_password()
        if not password:
            raise SystemExit(get_catalog("fr").text("operator.cli.password_empty"))
        if (refusal := weakness(password)) is not None:
            raise SystemExit(get_catalog("fr").text(refusal))
        _say(hash_password(password))
        return
    database = Settings().store
    if isinstance(database, Path) and not database.is_file():
        # Opening would create an empty store: say where we looked.
        raise SystemExit(get_catalog("fr").text("operator.cli.no_database", path=database))
    asyncio.run(_run(args, database))


if __name__ == "__main__":
    main()
