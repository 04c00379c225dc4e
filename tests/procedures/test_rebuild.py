"""The database is a mirror: deleting it and rebuilding from the store restores the register."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.procedures.cli import import_folder
from app.procedures.models import Procedure, ProcedureRevision

SHIPPED = Path(__file__).resolve().parents[2] / "procedures"


def _register():
    return [(p.code, p.title, p.unit_code, p.status, p.issue_number, p.issued_on, p.effective_on,
             p.current_revision, p.issued_revision)
            for p in db.session.scalars(select(Procedure).order_by(Procedure.code))]


def test_demo_imports_the_shipped_procedures_as_issued(app, runner):
    result = runner.invoke(args=["qms", "demo"])
    assert result.exit_code == 0, result.output
    procs = db.session.scalars(select(Procedure)).all()
    assert len(procs) >= 10 and all(p.status == "issued" and p.issue_number >= 1 for p in procs)


def test_deleting_the_database_and_running_fsck_restores_the_register_exactly(app, runner):
    runner.invoke(args=["qms", "demo"])
    before = _register()
    revisions_before = db.session.scalar(select(db.func.count(ProcedureRevision.id)))
    db.session.remove()
    db.drop_all()
    db.create_all()
    runner.invoke(args=["qms", "demo"])  # units and accounts again; procedures are already in the store
    result = runner.invoke(args=["qms", "fsck"])
    assert result.exit_code == 0, result.output
    assert _register() == before
    assert db.session.scalar(select(db.func.count(ProcedureRevision.id))) == revisions_before


def test_fsck_repairs_a_tampered_mirror_and_reports_it(app, runner):
    runner.invoke(args=["qms", "demo"])
    proc = db.session.scalar(select(Procedure).where(Procedure.code == "QT-VP-01"))
    proc.title, proc.issue_number = "sai", 99
    db.session.commit()
    result = runner.invoke(args=["qms", "fsck"])
    assert "QT-VP-01" in result.output
    db.session.refresh(proc)
    assert proc.title != "sai" and proc.issue_number != 99
    assert "agree" in runner.invoke(args=["qms", "fsck"]).output


def test_import_reports_a_bad_file_and_keeps_the_good_ones(app, runner, tmp_path):
    runner.invoke(args=["qms", "demo"])
    (tmp_path / "QT-VP-09.md").write_text((SHIPPED / "QT-VP-01.md").read_text(encoding="utf-8")
                                          .replace("code: QT-VP-01", "code: QT-VP-09"), encoding="utf-8")
    (tmp_path / "QT-VP-10.md").write_text("không có phần đầu\n", encoding="utf-8")
    created, existing, errors = import_folder(tmp_path, echo=lambda *a: None)
    assert created == 1 and len(errors) == 1 and "QT-VP-10.md" in errors[0]
