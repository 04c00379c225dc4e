"""The procedure file format: front matter, normalisation and validation."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from app.store import (InvalidProcedure, ProcedureDocument, code_from_path, parse, procedure_path, validate_code,
                       validate_unit)

from .helpers import make_doc

CANONICAL = """---
code: QT-VP-01
title: Quy trình kiểm soát tài liệu
unit: VP
issue: 3
issued_on: 2022-03-15
effective_on: 2022-04-01
drafted_by: Nguyễn Văn An
reviewed_by: Trần Thị Bình
approved_by: Lê Văn Cường
legal_bases:
  - TCVN ISO 9001:2015
  - Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014
---
# 1. Mục đích

Quy định cách soạn thảo, xem xét, phê duyệt và ban hành tài liệu.

## 5. Nội dung quy trình

| Bước | Trách nhiệm | Nội dung |
|---|---|---|
| 1 | Văn phòng | Soạn thảo: dự thảo |
"""


def test_canonical_file_round_trips_byte_for_byte():
    doc = parse(CANONICAL)
    assert doc.to_text() == CANONICAL


def test_parsed_fields_have_their_types():
    doc = parse(CANONICAL)
    assert doc.code == "QT-VP-01" and doc.unit == "VP" and doc.issue == 3
    assert doc.issued_on == date(2022, 3, 15) and doc.effective_on == date(2022, 4, 1)
    assert doc.approved_by == "Lê Văn Cường"
    assert doc.legal_bases == ["TCVN ISO 9001:2015", "Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014"]
    assert doc.body.startswith("# 1. Mục đích\n")


def test_document_survives_to_text_and_parse_unchanged():
    doc = make_doc(title='Quy trình: "đăng ký" hoạt động KH&CN', drafted_by="Phạm Thị Dung",
                   issue=2, effective_on=date(2024, 1, 2), legal_bases=["Luật KH&CN 2013", "- 12", "yes"])
    assert parse(doc.to_text()) == doc


def test_front_matter_keeps_a_stable_key_order():
    text = make_doc().to_text()
    keys = [line.split(":")[0] for line in text.split("---\n")[1].splitlines() if not line.startswith(" ")]
    assert keys == ["code", "title", "unit", "issue", "issued_on", "effective_on",
                    "drafted_by", "reviewed_by", "approved_by", "legal_bases"]


def test_vietnamese_is_written_as_text_not_escapes():
    assert "Quy trình kiểm soát tài liệu" in make_doc().to_text()
    assert "\\u" not in make_doc().to_text()


def test_nfd_input_is_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", CANONICAL)
    assert nfd != CANONICAL
    doc = parse(nfd)
    assert doc.title == "Quy trình kiểm soát tài liệu"
    assert doc.to_text() == CANONICAL


def test_nfd_fields_given_in_code_are_normalised_too():
    doc = make_doc(title=unicodedata.normalize("NFD", "Quy trình đánh giá nội bộ"))
    assert doc.title == unicodedata.normalize("NFC", "Quy trình đánh giá nội bộ")


def test_crlf_and_bom_are_tolerated_and_written_back_as_lf():
    doc = parse("\ufeff" + CANONICAL.replace("\n", "\r\n"))
    assert doc.to_text() == CANONICAL


def test_body_always_ends_with_exactly_one_newline():
    assert make_doc(body="abc").body == "abc\n"
    assert make_doc(body="abc\n\n\n").body == "abc\n"
    assert make_doc(body="").to_text().endswith("---\n")


def test_empty_dates_and_people_are_written_as_empty_values():
    text = make_doc().to_text()
    assert "\nissued_on:\n" in text and "\ndrafted_by:\n" in text
    doc = parse(text)
    assert doc.issued_on is None and doc.drafted_by == ""


def test_dates_written_as_quoted_strings_are_accepted():
    doc = parse(CANONICAL.replace("issued_on: 2022-03-15", "issued_on: '2022-03-15'"))
    assert doc.issued_on == date(2022, 3, 15)


@pytest.mark.parametrize("code", ["QT-VP-01", "QT-QLKH-02", "QT-CCTDC-10", "HD-VP-01-A", "QT-1"])
def test_well_formed_codes_are_accepted(code):
    assert validate_code(code) == code


@pytest.mark.parametrize("code", [
    "../etc/passwd", "qt-vp-01", "QT VP 01", "", "/etc/passwd", "/QT-VP-01", "QT-VP-01.md", "QT/VP/01",
    "QT-VP-01\n", "QT", "Q-VP", "QT-VP-01-02-03-04", "QT--01", "-QT-VP", "QT-VP-01 ", None, 12,
])
def test_malformed_codes_are_refused(code):
    with pytest.raises(InvalidProcedure) as err:
        validate_code(code)
    assert err.value.code == "invalid_code"


@pytest.mark.parametrize("unit", ["", "vp", "V P", "../x", "VP-1", "ABCDEFGHIJK"])
def test_malformed_units_are_refused(unit):
    with pytest.raises(InvalidProcedure) as err:
        validate_unit(unit)
    assert err.value.code == "invalid_unit"


def test_a_document_with_a_bad_code_cannot_be_built():
    with pytest.raises(InvalidProcedure) as err:
        ProcedureDocument(code="../etc/passwd", title="x", unit="VP")
    assert err.value.field == "code"


def test_title_is_required_and_limited_to_300_characters():
    with pytest.raises(InvalidProcedure) as err:
        make_doc(title="  ")
    assert (err.value.code, err.value.field) == ("missing_field", "title")
    make_doc(title="x" * 300)
    with pytest.raises(InvalidProcedure) as err:
        make_doc(title="x" * 301)
    assert err.value.field == "title"


@pytest.mark.parametrize("text, code", [
    ("# no front matter\n", "bad_front_matter"),
    ("---\ncode: QT-VP-01\n", "bad_front_matter"),
    ("---\ncode: [unclosed\n---\nbody\n", "bad_front_matter"),
    ("---\n- a list\n---\n", "bad_front_matter"),
    ("---\ntitle: T\nunit: VP\n---\n", "missing_field"),
    ("---\ncode: QT-VP-01\nunit: VP\n---\n", "missing_field"),
    ("---\ncode: QT-VP-01\ntitle: T\nunit: VP\nowner: me\n---\n", "unknown_field"),
    ("---\ncode: QT-VP-01\ntitle: T\nunit: VP\nissue: -1\n---\n", "invalid_field"),
    ("---\ncode: QT-VP-01\ntitle: T\nunit: VP\nissue: 'ba'\n---\n", "invalid_field"),
    ("---\ncode: QT-VP-01\ntitle: T\nunit: VP\nissued_on: 15/03/2022\n---\n", "invalid_field"),
    ("---\ncode: QT-VP-01\ntitle: T\nunit: VP\nlegal_bases: Luật KH&CN\n---\n", "invalid_field"),
    ("---\ncode: qt-vp-01\ntitle: T\nunit: VP\n---\n", "invalid_code"),
])
def test_broken_files_are_refused_with_a_machine_code(text, code):
    with pytest.raises(InvalidProcedure) as err:
        parse(text)
    assert err.value.code == code
    assert str(err.value)


@pytest.mark.parametrize("code, series_path", [
    ("QT-VP-01", "QT-VP/QT-VP-01.md"), ("QT-CCTDC-10", "QT-CCTDC/QT-CCTDC-10.md"),
    ("HD-VP-01-A", "HD-VP-01/HD-VP-01-A.md"), ("QT-1", "QT/QT-1.md"),
])
def test_each_procedure_has_one_path_per_layout_and_back(code, series_path):
    assert procedure_path(code) == procedure_path(code, "flat") == f"{code}.md"
    assert procedure_path(code, "series") == series_path
    assert code_from_path(f"{code}.md") == code_from_path(series_path) == code


def test_an_unknown_layout_is_a_programming_error():
    with pytest.raises(ValueError):
        procedure_path("QT-VP-01", "nested")


@pytest.mark.parametrize("path", ["QT-KHTC/QT-VP-01.md", "QT-VP/QT-VP-01.txt", "QT-VP/x/QT-VP-01.md",
                                  "QT-VP/qt-vp-01.md", "/QT-VP-01.md", "README.md", ""])
def test_other_paths_are_not_procedures(path):
    assert code_from_path(path) is None


def test_minimal_file_gets_defaults():
    doc = parse("---\ncode: QT-VP-01\ntitle: T\nunit: VP\n---\n")
    assert (doc.issue, doc.issued_on, doc.legal_bases, doc.body) == (0, None, [], "")


HEADERS = [
    'code: QT-VP-01\ntitle: "Quy trình: kiểm soát # tài liệu"\nunit: VP\nissue: 3\neffective_on: 2026-01-15\n'
    'legal_bases:\n  - Luật số 12/2023/QH15\n  - "Nghị định 30/2020/NĐ-CP: mục 2"\ndrafted_by:\n',
    "code: QT-VP-02\ntitle: 'Đăng ký ''nhiệm vụ'' KH&CN'\nunit: VP\nissued_on: 2025-12-31\napproved_by: ~\n",
    "code: QT-VP-03\ntitle: >\n  Thẩm định\n  hồ sơ\nunit: VP\nlegal_bases: []\n",
]


@pytest.mark.parametrize("header", HEADERS)
def test_headers_read_through_libyaml_give_the_values_pyyaml_gives(header):
    import yaml

    from app.store.document import _load_yaml

    assert _load_yaml(header) == yaml.safe_load(header)


def test_a_header_that_is_not_yaml_is_refused_with_pyyamls_own_message():
    import yaml

    text = "---\ncode: QT-VP-01\ntitle: [không đóng\n---\nNội dung\n"
    with pytest.raises(InvalidProcedure) as err:
        parse(text)
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.safe_load("code: QT-VP-01\ntitle: [không đóng\n")
    assert err.value.code == "bad_front_matter" and str(expected.value) in str(err.value)
