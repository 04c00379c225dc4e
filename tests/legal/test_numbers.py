"""Numbers and symbols of legal documents: every way people write one document gives one key."""
from __future__ import annotations

from datetime import date

import pytest

from app.legal.numbers import document_key, find_number, fold, kind_of, parse_citation, tidy_number


@pytest.mark.parametrize("written", [
    "61/2018/NĐ-CP", "61/2018/ND-CP", "Nghị định số 61/2018/NĐ-CP", "số 61 / 2018 / NĐ–CP", "61/2018/nđ-cp",
    "Nghị định 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ", "061/2018/NĐ-CP",
    "Nghi dinh so 61/2018/ND-CP", "Nghị định số 61/2018/NĐ-CP",  # the last one decomposed (NFD) below
])
def test_every_spelling_of_decree_61_is_one_key(written):
    import unicodedata

    assert document_key(written) == "61/2018/ND-CP"
    assert document_key(unicodedata.normalize("NFD", written)) == "61/2018/ND-CP"


def test_different_documents_have_different_keys():
    keys = {document_key(t) for t in ("61/2018/NĐ-CP", "61/2019/NĐ-CP", "61/2018/QĐ-TTg", "16/2018/NĐ-CP",
                                      "61/2018/TT-BKHCN")}
    assert len(keys) == 5


def test_leading_zeros_do_not_make_another_document():
    assert document_key("Thông tư số 08/2017/TT-BKHCN") == document_key("8/2017/TT-BKHCN") == "8/2017/TT-BKHCN"


def test_a_number_without_its_year_takes_the_year_it_was_signed():
    assert document_key("101/QĐ-BKHCN") == "101/QD-BKHCN"
    assert document_key("101/QĐ-BKHCN", date(2019, 1, 21)) == "101/2019/QD-BKHCN"
    cited = parse_citation("Quyết định số 101/QĐ-BKHCN ngày 21/01/2019 của Bộ trưởng Bộ Khoa học và Công nghệ công bố")
    assert cited.key == "101/2019/QD-BKHCN"
    assert cited.number == "101/QĐ-BKHCN"


def test_laws_joint_circulars_and_prime_minister_decisions():
    assert document_key("Luật Khoa học và Công nghệ số 29/2013/QH13") == "29/2013/QH13"
    assert document_key("Thông tư liên tịch số 55/2015/TTLT-BTC-BKHCN") == "55/2015/TTLT-BTC-BKHCN"
    assert document_key("Quyết định số 19/2014/QĐ-TTg") == "19/2014/QD-TTG"


def test_standards_have_keys_of_their_own():
    assert document_key("TCVN ISO 9001:2015 (ISO 9001:2015) Hệ thống quản lý chất lượng") == "TCVN ISO 9001:2015"
    assert document_key("tcvn  iso 9001 : 2015") == "TCVN ISO 9001:2015"


def test_the_first_number_is_the_document_s_own_not_the_one_it_amends():
    text = "Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số " \
           "61/2018/NĐ-CP"
    assert document_key(text) == "107/2021/ND-CP"


def test_dates_and_plain_text_are_not_numbers():
    assert find_number("ngày 29/6/2006") is None
    assert document_key("Các quy chuẩn kỹ thuật quốc gia do Bộ ban hành") is None
    assert document_key("") is None


def test_tidy_number_keeps_the_symbol_as_written():
    assert tidy_number("Nghị định số 61 / 2018 / NĐ–CP") == "61/2018/NĐ-CP"


def test_fold_keeps_positions():
    text = "Nghị định số 61/2018/NĐ-CP"
    assert len(fold(text)) == len(text)
    assert fold("Đăng ký") == "DANG KY"


def test_a_citation_reads_kind_number_date_issuer_and_subject():
    c = parse_citation("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa "
                       "liên thông trong giải quyết thủ tục hành chính")
    assert (c.kind, c.number, c.issuer, c.signed_on) == ("decree", "61/2018/NĐ-CP", "Chính phủ", date(2018, 4, 23))
    assert c.title.startswith("Về thực hiện cơ chế một cửa")
    law = parse_citation("Luật Tiêu chuẩn và Quy chuẩn kỹ thuật số 68/2006/QH11 ngày 29/6/2006")
    assert (law.kind, law.issuer, law.title) == ("law", "Quốc hội", "Luật Tiêu chuẩn và Quy chuẩn kỹ thuật")
    joint = parse_citation("Thông tư liên tịch số 55/2015/TTLT-BTC-BKHCN ngày 22/4/2015 của Bộ Tài chính")
    assert joint.kind == "joint_circular" and joint.issuer == "Bộ Tài chính, Bộ Khoa học và Công nghệ"
    assert kind_of("Quyết định số 19/2014/QĐ-TTg") == "decision"


def test_every_basis_of_the_shipped_procedures_is_readable():
    from pathlib import Path

    from app.store import ProcedureDocument

    root = Path(__file__).resolve().parents[2] / "procedures"
    bases = [b for f in sorted(root.glob("QT-*.md")) for b in ProcedureDocument.parse(f.read_text("utf-8")).legal_bases]
    assert len(bases) > 60
    assert [b for b in bases if parse_citation(b).key is None] == []
