"""Judged queries over the 15 procedures shipped in procedures/: graded relevance written by reading them.

Grades: 3 = the procedure the query is looking for; 2 = substantially about the query (a section, a form, a
fee table on it, or one of several procedures citing the same legal text); 1 = mentions it in passing (cites
the procedure or the term once); missing = 0. An empty dict marks a query no shipped procedure is about:
the search should return nothing. ``nfd`` queries are typed decomposed (as some keyboards send them).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Judged:
    query: str
    grades: dict[str, int] = field(default_factory=dict)
    kind: str = "topic"
    nfd: bool = False


# Procedures citing each legal text in their legal-basis list (read from the front matter).
_ND61 = {c: 2 for c in ("QT-QLCN-01", "QT-QLCN-02", "QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03", "QT-VP-04")}
_QD19 = {c: 2 for c in ("QT-VP-01", "QT-VP-02", "QT-VP-03", "QT-VP-04", "QT-VP-05")}
_TT26 = {c: 2 for c in ("QT-VP-01", "QT-VP-03", "QT-VP-04", "QT-VP-05")}
_INTERNAL_AUDIT = {"QT-VP-03": 3, "QT-VP-01": 1, "QT-VP-04": 1, "QT-VP-05": 1}
_DOC_CONTROL = {"QT-VP-01": 3, "QT-VP-02": 1, "QT-VP-03": 1}
_COMPLAINTS = {"QT-TTR-01": 3, "QT-TTR-02": 1, "QT-VP-04": 1}
_MGMT_REVIEW = {"QT-VP-05": 3, "QT-VP-03": 1, "QT-VP-04": 1}
# "đăng ký" in the title (3); registration in a step or a dossier (1-2).
_REGISTER = {"QT-QLKH-01": 3, "QT-QLKH-03": 3, "QT-QLCN-02": 3, "QT-QLKH-02": 2, "QT-CCTDC-01": 1,
             "QT-QLCN-01": 1}
_TTPVHCC = {"QT-CCTDC-01": 2, "QT-QLCN-01": 2, "QT-QLCN-02": 2, "QT-QLKH-01": 2, "QT-QLKH-03": 2,
            "QT-QLKH-02": 1, "QT-VP-02": 1, "QT-VP-04": 1, "QT-VP-05": 1}

JUDGED: list[Judged] = [
    # ---- topics as typed with diacritics
    Judged("đánh giá nội bộ", _INTERNAL_AUDIT),
    Judged("kiểm soát tài liệu", _DOC_CONTROL),
    Judged("kiểm soát hồ sơ", {"QT-VP-02": 3, "QT-VP-01": 1, "QT-VP-03": 1, "QT-QLCN-02": 1, "QT-QLKH-01": 1,
                               "QT-QLKH-03": 1, "QT-TTR-01": 1}),
    Judged("hành động khắc phục", {"QT-VP-04": 3, "QT-VP-03": 2, "QT-VP-05": 1, "QT-CCTDC-01": 1,
                                   "QT-QLCN-01": 1, "QT-QLKH-01": 1, "QT-TTUD-01": 1}),
    Judged("sự không phù hợp", {"QT-VP-04": 3, "QT-VP-03": 2, "QT-TTUD-01": 1, "QT-VP-05": 1,
                                "QT-CCTDC-01": 1, "QT-QLCN-01": 1, "QT-QLKH-01": 1}),
    Judged("hành động phòng ngừa", {"QT-VP-04": 3}),
    Judged("xem xét của lãnh đạo", _MGMT_REVIEW),
    Judged("khiếu nại", _COMPLAINTS),
    Judged("giải quyết tố cáo", {"QT-TTR-02": 3, "QT-TTR-01": 1}),
    Judged("công bố hợp quy", {"QT-CCTDC-01": 3}),
    Judged("kiểm tra nhà nước về đo lường", {"QT-CCTDC-02": 3}),
    Judged("giấy phép bức xạ", {"QT-QLCN-01": 3}),
    Judged("X-quang", {"QT-QLCN-01": 3}),
    Judged("chuyển giao công nghệ", {"QT-QLCN-02": 3, "QT-TTUD-01": 1}),
    Judged("đăng ký kết quả nhiệm vụ khoa học", {"QT-QLKH-01": 3}),
    Judged("tuyển chọn giao trực tiếp", {"QT-QLKH-02": 3}),
    Judged("đăng ký hoạt động khoa học và công nghệ", {"QT-QLKH-03": 3, "QT-QLKH-01": 1}),
    Judged("dịch vụ khoa học và công nghệ", {"QT-TTUD-01": 3}),
    Judged("nuôi cấy mô", {"QT-TTUD-01": 3}),
    Judged("chế phẩm sinh học", {"QT-TTUD-01": 3}),
    Judged("hàng đóng gói sẵn", {"QT-CCTDC-02": 3}),
    Judged("phương tiện đo", {"QT-CCTDC-02": 3}),
    Judged("cột đo xăng dầu", {"QT-CCTDC-02": 3}),
    Judged("mũ bảo hiểm", {"QT-CCTDC-01": 3}),
    Judged("lưu trữ hồ sơ", {"QT-VP-02": 3, "QT-VP-01": 1}),
    Judged("hủy hồ sơ hết thời hạn lưu", {"QT-VP-02": 3}),
    Judged("mức độ hài lòng", {"QT-TTUD-01": 3, "QT-VP-05": 2, "QT-QLKH-01": 1}),
    Judged("xin lỗi hồ sơ trễ hạn", {"QT-VP-04": 3}),
    Judged("phí thẩm định", {"QT-QLCN-01": 3, "QT-QLCN-02": 3, "QT-QLKH-03": 3}),
    Judged("Thư ký ISO", {"QT-VP-01": 2, "QT-VP-03": 2, "QT-VP-04": 2, "QT-VP-05": 2, "QT-VP-02": 1}),
    Judged("mục tiêu chất lượng", {"QT-VP-05": 2, "QT-VP-04": 2, "QT-VP-03": 2, "QT-VP-01": 1}),
    Judged("chương trình đánh giá nội bộ năm", {"QT-VP-03": 3}),
    Judged("check-list", {"QT-VP-03": 3}),
    Judged("biểu đồ xương cá", {"QT-VP-04": 3}),
    Judged("đối thoại", {"QT-TTR-01": 3}),
    Judged("bảo vệ người tố cáo", {"QT-TTR-02": 3}),
    Judged("công bố HTQLCL", {"QT-VP-05": 3}),
    Judged("lý lịch khoa học", {"QT-QLKH-02": 3, "QT-QLKH-03": 2}),
    # ---- without diacritics
    Judged("danh gia noi bo", _INTERNAL_AUDIT, "no diacritics"),
    Judged("dang ky chuyen giao cong nghe", {"QT-QLCN-02": 3, "QT-TTUD-01": 1}, "no diacritics"),
    Judged("khieu nai", _COMPLAINTS, "no diacritics"),
    Judged("kiem soat tai lieu", _DOC_CONTROL, "no diacritics"),
    Judged("cong bo hop quy", {"QT-CCTDC-01": 3}, "no diacritics"),
    Judged("xem xet cua lanh dao", _MGMT_REVIEW, "no diacritics"),
    Judged("buc xa", {"QT-QLCN-01": 3}, "no diacritics"),
    # ---- upper case, NFD, typos
    Judged("ĐÁNH GIÁ NỘI BỘ", _INTERNAL_AUDIT, "upper case"),
    Judged("KIỂM TRA ĐO LƯỜNG", {"QT-CCTDC-02": 3}, "upper case"),
    Judged("QUY TRÌNH GIẢI QUYẾT KHIẾU NẠI", {"QT-TTR-01": 3, "QT-TTR-02": 1}, "upper case"),
    Judged("đánh giá nội bộ", _INTERNAL_AUDIT, "nfd", nfd=True),
    Judged("chuyển giao công nghệ", {"QT-QLCN-02": 3, "QT-TTUD-01": 1}, "nfd", nfd=True),
    Judged("đánh gía nội bộ", _INTERNAL_AUDIT, "typo"),  # tone mark on the wrong vowel
    Judged("kiểm soát tài liêu", _DOC_CONTROL, "typo"),  # missing dot below
    Judged("khieu nại", _COMPLAINTS, "typo"),  # half the accents
    Judged("gải quyết tố cáo", {"QT-TTR-02": 3, "QT-TTR-01": 1}, "typo"),  # a dropped letter
    # ---- i/y and tone-placement variants
    Judged("dang ki", _REGISTER, "i/y"),
    Judged("đăng kí", _REGISTER, "i/y"),
    Judged("đăng kí chuyển giao công nghệ", {"QT-QLCN-02": 3, "QT-TTUD-01": 1}, "i/y"),
    Judged("giấy chứng nhận đăng kí hoạt động khoa học", {"QT-QLKH-03": 3, "QT-QLKH-01": 1}, "i/y"),
    Judged("lí lịch khoa học", {"QT-QLKH-02": 3, "QT-QLKH-03": 2}, "i/y"),
    Judged("kí giấy phép", {"QT-QLCN-01": 3}, "i/y"),
    Judged("báo cáo hằng quí", {"QT-TTUD-01": 2, "QT-VP-04": 2, "QT-CCTDC-02": 2}, "i/y"),
    Judged("sản phẩm, hàng hoá", {"QT-CCTDC-01": 3, "QT-CCTDC-02": 2}, "tone placement"),
    Judged("hoá đơn", {"QT-TTUD-01": 3}, "tone placement"),
    Judged("thoả đáng", {"QT-VP-05": 3}, "tone placement"),
    Judged("uỷ quyền", {"QT-TTR-01": 2, "QT-QLCN-02": 2, "QT-VP-01": 1}, "tone placement"),
    Judged("Uỷ ban nhân dân tỉnh", {"QT-QLKH-02": 2, "QT-VP-04": 1}, "tone placement"),
    # ---- abbreviations used in the texts
    Judged("nhiệm vụ KH&CN", {"QT-QLKH-01": 3, "QT-QLKH-02": 3, "QT-TTUD-01": 1}, "abbreviation"),
    Judged("hồ sơ TTHC trễ hạn", {"QT-VP-04": 3, "QT-VP-05": 1}, "abbreviation"),
    Judged("kết quả giải quyết TTHC", {"QT-VP-05": 3, "QT-VP-04": 1}, "abbreviation"),
    Judged("GCN", {"QT-QLKH-01": 3, "QT-QLKH-03": 2, "QT-QLCN-02": 2}, "abbreviation"),
    Judged("GCN ĐKHĐ", {"QT-QLKH-03": 3}, "abbreviation"),
    Judged("TTPVHCC", _TTPVHCC, "abbreviation"),
    Judged("NSNN", {"QT-QLKH-01": 3, "QT-QLKH-02": 1, "QT-TTUD-01": 1}, "abbreviation"),
    Judged("ATBX", {"QT-QLCN-01": 3}, "abbreviation"),
    Judged("HĐKP/PN", {"QT-VP-04": 3}, "abbreviation"),
    Judged("CGCN", {"QT-QLCN-02": 3}, "abbreviation"),
    # ---- legal references, codes and forms
    Judged("Nghị định 61/2018", _ND61, "legal"),
    Judged("61/2018/NĐ-CP", _ND61, "legal"),
    Judged("Nghị định 61", _ND61, "legal"),
    Judged("Thông tư 14/2014/TT-BKHCN", {"QT-QLKH-01": 3}, "legal"),
    Judged("Thông tư 26/2014/TT-BKHCN", _TT26, "legal"),
    Judged("Quyết định 19/2014/QĐ-TTg", _QD19, "legal"),
    Judged("Luật Khiếu nại", {"QT-TTR-01": 3}, "legal"),
    Judged("Luật Đo lường", {"QT-CCTDC-02": 3}, "legal"),
    Judged("Nghị định 142/2020", {"QT-QLCN-01": 3}, "legal"),
    Judged("183/2016/TT-BTC", {"QT-CCTDC-01": 3}, "legal"),
    Judged("ISO 19011", {"QT-VP-03": 3}, "legal"),
    Judged("QT-VP-03", {"QT-VP-03": 3, "QT-VP-04": 1, "QT-VP-05": 1}, "code"),
    Judged("qt-vp-05", {"QT-VP-05": 3, "QT-VP-03": 1, "QT-VP-04": 1}, "code"),
    Judged("QT-VP-02", {"QT-VP-02": 3, "QT-VP-01": 1, "QT-QLCN-02": 1, "QT-QLKH-01": 1, "QT-QLKH-03": 1,
                        "QT-TTR-01": 1}, "code"),
    Judged("BM-QLKH-01-02", {"QT-QLKH-01": 3}, "code"),
    Judged("BM-VP-04-01", {"QT-VP-04": 3, "QT-VP-03": 2}, "code"),
    # ---- quoted phrases
    Judged('"đánh giá nội bộ"', _INTERNAL_AUDIT, "phrase"),
    Judged('"hàng đóng gói sẵn"', {"QT-CCTDC-02": 3}, "phrase"),
    Judged('"tiếp công dân"', {"QT-TTR-01": 2, "QT-TTR-02": 2}, "phrase"),
    Judged('"giao trực tiếp"', {"QT-QLKH-02": 3}, "phrase"),
    Judged('"ngân sách nhà nước"', {"QT-QLKH-01": 2, "QT-QLKH-02": 2, "QT-TTUD-01": 1}, "phrase"),
    # ---- several words about one topic
    Judged("thời hạn giải quyết khiếu nại lần hai", {"QT-TTR-01": 3}, "multi-word"),
    Judged("thành phần hồ sơ cấp giấy phép X-quang", {"QT-QLCN-01": 3}, "multi-word"),
    Judged("phí thẩm định hợp đồng chuyển giao công nghệ", {"QT-QLCN-02": 3}, "multi-word"),
    Judged("nguyên nhân gốc sự không phù hợp", {"QT-VP-04": 3}, "multi-word"),
    Judged("rà soát quy trình khi căn cứ pháp lý thay đổi", {"QT-VP-01": 3, "QT-VP-03": 2, "QT-VP-05": 1},
           "multi-word"),
    Judged("hợp đồng dịch vụ cây giống", {"QT-TTUD-01": 3}, "multi-word"),
    Judged("thời hạn lưu hồ sơ", {"QT-VP-02": 3, "QT-VP-01": 1}, "multi-word"),
    # ---- nothing in the shipped procedures is about these
    Judged("giấy phép lái xe", {}, "nothing"),
    Judged("cấp hộ chiếu", {}, "nothing"),
    Judged("đăng ký kết hôn", {}, "nothing"),
    Judged("bảo hiểm xã hội", {}, "nothing"),
    Judged("covid-19", {}, "nothing"),
    Judged("thuế thu nhập cá nhân", {}, "nothing"),
]
