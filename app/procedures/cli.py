"""`qms import`, `qms fsck`, `qms reindex`: moving procedures between folders, the store, the database and the index."""
from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.procedures import core
from app.procedures.mirror import fsck, index_documents
from app.procedures.models import Procedure
from app.procedures.services import DocumentControl
from app.search.parallel import HelperFailed
from app.store import InvalidProcedure, parse

log = logging.getLogger(__name__)

PROJECT_PROCEDURES = Path(__file__).resolve().parents[2] / "procedures"


def import_folder(folder: Path, echo=click.echo) -> tuple[int, int, list[str]]:
    """Import every QT-*.md of a folder; returns (created, already there, errors)."""
    dc = DocumentControl()
    created = existing = 0
    errors = []
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            doc = parse(path.read_text(encoding="utf-8"))
            if path.stem != doc.code:
                raise InvalidProcedure(f"{path.name} declares the code {doc.code}", code="code_mismatch")
            _proc, new = dc.import_document(None, doc)
            db.session.commit()
        except (InvalidProcedure, UnicodeDecodeError) as exc:
            db.session.rollback()
            errors.append(f"{path.name}: {exc}")
            continue
        created += new
        existing += not new
        echo(f"  {'+' if new else '='} {doc.code}  {doc.title}")
    return created, existing, errors


def reindex(echo=click.echo, progress: bool = True) -> int:
    """Rebuild the index from the store. Documents are read while the rebuild runs (a generator), so an
    edit saved meanwhile is replayed by the index rather than lost in the swap."""
    st = core.store()
    procs = db.session.scalars(select(Procedure).order_by(Procedure.code)).all()

    def documents():
        st.prime_heads()
        for proc in procs:
            yield from index_documents(st, proc)

    with click.progressbar(length=len(procs), label="Lập chỉ mục / indexing", hidden=not progress) as bar:
        state = {"done": 0}

        def tick(done, _total):
            bar.update(min(done, len(procs)) - state["done"])
            state["done"] = min(done, len(procs))

        try:
            return core.search_index().rebuild(documents(), progress=tick)
        except HelperFailed as exc:
            # The index in use is untouched; the same rebuild in this process alone needs no helper.
            log.warning("%s; rebuilding in one process", exc)
            echo("\nTiến trình phụ lập chỉ mục bị lỗi, lập chỉ mục lại trong một tiến trình / the helper "
                 "process failed, indexing again in one process", err=True)
            bar.update(-state["done"])
            state["done"] = 0
            return core.search_index().rebuild(documents(), progress=tick, parallel=False)


def register(qms):
    @qms.command("import")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    def import_command(folder):
        """Import a folder of procedure files (QT-*.md) into the store, issued where their header says so."""
        created, existing, errors = import_folder(folder)
        click.echo(f"Imported {created}, already present {existing}, errors {len(errors)}.")
        for e in errors:
            click.echo(f"  ! {e}", err=True)
        if errors:
            raise SystemExit(1)

    @qms.command("fsck")
    def fsck_command():
        """Compare the database with the store and repair the database from the store."""
        from app.procedures.recovery import record_unrecorded

        st = core.store()
        report = fsck(st)
        db.session.commit()
        recovered = record_unrecorded(st)
        db.session.commit()
        for sha in recovered.commits:
            click.echo(f"recorded as recovered: commit {sha} (it was in the store without an audit event)")
        for name in recovered.tags:
            click.echo(f"recorded as recovered: tag {name} (it was in the store without an audit event)")
        for label, items in (("created", report.created), ("repaired", report.fixed),
                             ("units created", report.units_created)):
            if items:
                click.echo(f"{label}: {', '.join(items)}")
        if report.orphaned:
            click.echo(f"in the database but not in the store: {', '.join(report.orphaned)}", err=True)
        click.echo("Database and store agree." if not (report.changed or recovered.any) else
                   f"Fixed: {len(report.created)} created, {len(report.fixed)} repaired, "
                   f"{len(recovered.commits)} commit(s) and {len(recovered.tags)} tag(s) recorded as recovered.")
        if report.created or report.fixed:
            reindex(progress=False)

    @qms.command("reindex")
    def reindex_command():
        """Rebuild the search index from the store."""
        total = reindex()
        click.echo(f"Indexed {total} documents.")


def on_init():
    core.store()  # creates the store repository under the data directory


def on_demo():
    click.echo("Nhập quy trình mẫu / importing the shipped procedures:")
    created, existing, errors = import_folder(PROJECT_PROCEDURES)
    for e in errors:
        click.echo(f"  ! {e}", err=True)
    if core.search_index().needs_rebuild:
        reindex(progress=False)
