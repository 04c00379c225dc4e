"""Vietnamese first, English second: every interface string has its English translation; dates read dd/mm/yyyy."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from babel.messages.pofile import read_po

from app.timeutil import format_date, format_datetime, local_today, local_year

ROOT = Path(__file__).resolve().parents[1]


def test_every_interface_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-o", str(pot), "."], cwd=ROOT, check=True)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with (ROOT / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and m.string and (m.string if isinstance(m.string, str) else m.string[0])
                  and not m.fuzzy}
    assert len(wanted) > 300  # the extraction found the interface strings
    missing = sorted(wanted - translated)
    assert not missing, f"{len(missing)} strings without English translation, e.g. {missing[:10]}"


def test_the_default_language_is_vietnamese(client):
    html = client.get("/login").data.decode()
    assert '<html lang="vi">' in html and "Tên đăng nhập" in html


def test_english_can_be_chosen_on_the_login_page(client):
    client.post("/lang/en", data={"next": "/login"})
    html = client.get("/login").data.decode()
    assert '<html lang="en">' in html and "Username" in html


def test_a_signed_in_users_language_choice_is_remembered(app, client, make, login_as, db):
    user = make.user("member", unit="QLKH")
    login_as(user)
    client.post("/lang/en", data={"next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    assert "My tasks" in client.get("/").data.decode()


def test_dates_read_day_month_year():
    assert format_date(date(2022, 3, 5)) == "05/03/2022"


def test_times_are_shown_in_hanoi_time():
    assert format_datetime(datetime(2022, 12, 31, 17, 30, tzinfo=timezone.utc)) == "01/01/2023 00:30"


def test_the_calendar_year_is_hanois_not_the_servers():
    late = datetime(2022, 12, 31, 17, 30, tzinfo=timezone.utc)
    assert local_today(late) == date(2023, 1, 1) and local_year(late) == 2023


def test_the_language_chosen_on_the_login_page_stays_after_signing_in(client, make, db):
    user = make.user("member", unit="QLKH")
    client.post("/lang/en", data={"next": "/login"})
    client.post("/login", data={"username": user.username, "password": make.password})
    assert "My tasks" in client.get("/").data.decode()
    db.session.refresh(user)
    assert user.locale == "en"


def test_templates_follow_a_change_of_language_within_one_request(app):
    """The templates' translations are looked up once per request, yet a forced language (a message sent in
    Vietnamese while the reader uses English, and back) is followed both ways."""
    from flask import render_template_string, session
    from flask_babel import force_locale

    page = "{{ _('Xem kết quả') }}|{{ _('Kiểm tra lại') }}"
    with app.app_context(), app.test_request_context("/"):   # a request of its own, as served
        session["lang"] = "en"
        assert render_template_string(page) == "See the result|Check again"
        with force_locale("vi"):
            assert render_template_string(page) == "Xem kết quả|Kiểm tra lại"
        assert render_template_string(page) == "See the result|Check again"
    with app.app_context(), app.test_request_context("/"):
        assert render_template_string(page) == "Xem kết quả|Kiểm tra lại"
