"""Names and texts of the province data set: units, people, procedure titles and bodies.

Bodies are the shipped procedures (procedures/*.md) used as templates: the title, the unit's name and
the legal bases change, sections are taken from two templates, and each revision adds a line to the
change log at the end, so no two procedures read alike while every one reads like a real procedure.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from app.store import parse

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "procedures"

# (code, name): the department's specialised units, then the one-stop desks of the districts and towns
EXTRA_UNITS = [
    ("KHTC", "Phòng Kế hoạch – Tài chính"),
    ("SHTT", "Phòng Sở hữu trí tuệ"),
    ("QLCNG", "Phòng Quản lý chuyên ngành"),
    ("ATBX", "Phòng An toàn bức xạ và hạt nhân"),
    ("TTTK", "Trung tâm Thông tin và Thống kê KH&CN"),
    ("TTKT", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng"),
    ("TTDMST", "Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo"),
    ("TTPT", "Trung tâm Phân tích – Kiểm nghiệm"),
    ("TCHC", "Phòng Tổ chức – Hành chính"),
    ("PCTT", "Phòng Pháp chế – Thanh tra chuyên ngành"),
    ("QLDL", "Phòng Quản lý Đo lường"),
    ("QLTC", "Phòng Quản lý Tiêu chuẩn – Chất lượng"),
    ("HTQT", "Phòng Hợp tác quốc tế"),
    ("QTM", "Quỹ Phát triển khoa học và công nghệ tỉnh"),
]
DISTRICTS = [
    "Càng Long", "Châu Thành", "Cầu Kè", "Tiểu Cần", "Cầu Ngang", "Trà Cú", "Duyên Hải", "Long Đức",
    "Mỏ Cày", "Giồng Trôm", "Ba Tri", "Bình Đại", "Chợ Lách", "Thạnh Phú", "Vũng Liêm", "Tam Bình",
    "Trà Ôn", "Bình Minh", "Long Hồ", "Mang Thít", "Cai Lậy", "Cái Bè", "Gò Công", "Tân Phước",
    "Chợ Gạo", "Phong Điền", "Thới Lai", "Cờ Đỏ", "Vĩnh Thạnh", "Ô Môn",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ",
            "Ngô", "Hồ", "Dương", "Lý", "Thạch", "Kiên", "Sơn", "Châu"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hoàng", "Ngọc", "Quốc", "Thị Kim", "Hữu", "Thị Mỹ", "Đức", "Thị Bích"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Nhân", "Phong", "Phúc", "Quân", "Sang", "Tâm", "Thảo", "Thắng", "Trang",
         "Trí", "Tuấn", "Uyên", "Vân", "Vinh", "Xuân", "Yến", "Sóc", "Sa Rết", "Chanh Đa"]

SUBJECTS = [
    "cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
    "thay đổi, bổ sung Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
    "cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
    "đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước",
    "giao quyền sở hữu, quyền sử dụng kết quả nghiên cứu khoa học",
    "xét tiến hành kiểm tra chất lượng hàng hóa nhập khẩu",
    "tiếp nhận bản công bố hợp chuẩn",
    "tiếp nhận bản công bố hợp quy",
    "cấp Giấy xác nhận đăng ký lĩnh vực hoạt động xét tặng giải thưởng chất lượng",
    "chứng nhận chuẩn đo lường để kiểm định phương tiện đo",
    "đăng ký kiểm định, hiệu chuẩn phương tiện đo nhóm 2",
    "kiểm tra nhà nước về đo lường đối với hàng đóng gói sẵn",
    "kiểm tra chất lượng sản phẩm, hàng hóa lưu thông trên thị trường",
    "cấp giấy phép tiến hành công việc bức xạ",
    "gia hạn giấy phép tiến hành công việc bức xạ",
    "khai báo thiết bị X-quang chẩn đoán trong y tế",
    "phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở",
    "cấp chứng chỉ nhân viên bức xạ",
    "cấp Giấy chứng nhận đăng ký chuyển giao công nghệ",
    "thẩm định cơ sở khoa học của dự án đầu tư",
    "hỗ trợ doanh nghiệp đổi mới công nghệ",
    "xét chọn dự án khởi nghiệp đổi mới sáng tạo",
    "tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ khoa học và công nghệ cấp tỉnh",
    "đánh giá, nghiệm thu nhiệm vụ khoa học và công nghệ cấp tỉnh",
    "thanh lý hợp đồng nhiệm vụ khoa học và công nghệ",
    "xét duyệt hồ sơ đề nghị hỗ trợ bảo hộ quyền sở hữu công nghiệp",
    "hướng dẫn đăng ký nhãn hiệu chứng nhận cho sản phẩm đặc sản địa phương",
    "quản lý chỉ dẫn địa lý",
    "thu thập, đăng ký, lưu giữ thông tin nhiệm vụ khoa học và công nghệ",
    "cung cấp thông tin thống kê khoa học và công nghệ",
    "giải quyết khiếu nại",
    "giải quyết tố cáo",
    "tiếp công dân",
    "thanh tra chuyên ngành khoa học và công nghệ",
    "xử lý vi phạm hành chính trong lĩnh vực tiêu chuẩn, đo lường, chất lượng",
    "kiểm soát tài liệu",
    "kiểm soát hồ sơ",
    "đánh giá nội bộ",
    "kiểm soát sự không phù hợp và hành động khắc phục",
    "xem xét của lãnh đạo",
    "quản lý công văn đi, đến",
    "lập, giao và quyết toán dự toán ngân sách",
    "mua sắm tài sản, trang thiết bị",
    "quản lý tài sản công",
    "tuyển dụng viên chức",
    "đánh giá, xếp loại công chức, viên chức",
    "đào tạo, bồi dưỡng công chức, viên chức",
    "thi đua, khen thưởng",
    "tiếp nhận và trả kết quả hồ sơ tại Bộ phận Một cửa",
    "lấy ý kiến sự hài lòng của tổ chức, cá nhân",
    "thử nghiệm mẫu sản phẩm, hàng hóa",
    "hiệu chuẩn thiết bị đo",
    "kiểm định cân thương mại",
    "kiểm định cột đo xăng dầu",
    "kiểm định công tơ điện",
    "quản lý phòng thử nghiệm",
    "tư vấn xây dựng hệ thống quản lý chất lượng",
    "hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, công cụ cải tiến năng suất",
    "ứng dụng và nhân rộng mô hình khoa học và công nghệ tại cơ sở",
    "chuyển giao giống cây trồng, vật nuôi",
    "xét duyệt đề tài sáng kiến cấp cơ sở",
    "tổ chức hội thi sáng tạo kỹ thuật",
    "hợp tác quốc tế về khoa học và công nghệ",
    "tổ chức hội nghị, hội thảo có yếu tố nước ngoài",
    "cấp kinh phí từ Quỹ Phát triển khoa học và công nghệ",
    "cho vay ưu đãi thực hiện dự án ứng dụng tiến bộ kỹ thuật",
    "quản lý trang thông tin điện tử",
    "bảo đảm an toàn thông tin",
    "lưu trữ hồ sơ điện tử",
    "quản lý xe công",
]
SUFFIXES = ["", "", "", " tại cấp huyện", " đối với tổ chức", " đối với cá nhân", " (trực tuyến)",
            " trên Hệ thống thông tin giải quyết TTHC"]
LEGAL = [
    "Luật Khoa học và Công nghệ số 29/2013/QH13 ngày 18/6/2013",
    "Luật Tiêu chuẩn và Quy chuẩn kỹ thuật số 68/2006/QH11 ngày 29/6/2006",
    "Luật Đo lường số 04/2011/QH13 ngày 11/11/2011",
    "Luật Chất lượng sản phẩm, hàng hóa số 05/2007/QH12 ngày 21/11/2007",
    "Luật Năng lượng nguyên tử số 18/2008/QH12 ngày 03/6/2008",
    "Luật Chuyển giao công nghệ số 07/2017/QH14 ngày 19/6/2017",
    "Luật Sở hữu trí tuệ số 50/2005/QH11 ngày 29/11/2005",
    "Nghị định số 08/2014/NĐ-CP ngày 27/01/2014 của Chính phủ quy định chi tiết và hướng dẫn thi hành một số điều của Luật Khoa học và Công nghệ",
    "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
    "Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
    "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư",
    "Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008",
    "Nghị định số 31/2019/NĐ-CP ngày 10/4/2019 của Chính phủ quy định chi tiết một số điều của Luật Tố cáo",
    "Thông tư số 26/2014/TT-BKHCN ngày 10/10/2014 của Bộ trưởng Bộ Khoa học và Công nghệ",
    "Thông tư số 03/2015/TT-BKHCN ngày 09/3/2015 của Bộ trưởng Bộ Khoa học và Công nghệ",
    "Thông tư số 28/2012/TT-BKHCN ngày 12/12/2012 của Bộ trưởng Bộ Khoa học và Công nghệ",
]
CHANGES = [
    "cập nhật căn cứ pháp lý theo văn bản mới", "rút ngắn thời gian giải quyết từ 15 xuống 10 ngày làm việc",
    "bổ sung bước tiếp nhận hồ sơ trực tuyến mức độ 4", "sửa biểu mẫu phiếu theo dõi hồ sơ",
    "điều chỉnh trách nhiệm sau khi sắp xếp lại tổ chức", "bổ sung hồ sơ cần lưu",
    "thống nhất thuật ngữ với Mô hình khung HTQLCL", "bỏ thành phần hồ sơ bản sao có chứng thực",
    "kết nối Hệ thống thông tin giải quyết TTHC của tỉnh", "làm rõ bước thẩm định hồ sơ",
]


@dataclass(frozen=True)
class Template:
    title: str
    sections: list[str]   # "## n. Heading\n\n..." blocks
    legal: list[str]


def load_templates(folder: Path = TEMPLATE_DIR) -> list[Template]:
    out = []
    for path in sorted(folder.glob("QT-*.md")):
        doc = parse(path.read_text(encoding="utf-8"))
        sections = [s.strip() for s in re.split(r"(?m)^(?=## )", doc.body) if s.strip().startswith("## ")]
        out.append(Template(doc.title, sections, list(doc.legal_bases)))
    return out


def unit_list(count: int, demo_units: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`count` units: the normal demo's first, then the specialised units, then one per district."""
    units = list(demo_units) + list(EXTRA_UNITS)
    for i, district in enumerate(DISTRICTS):
        code = "MC" + "".join(w[0] for w in district.upper().split()) + f"{i + 1:02d}"
        units.append((re.sub(r"[^A-Z0-9]", "", _ascii(code))[:10],
                      f"Bộ phận Một cửa UBND {'thị xã' if i % 7 == 6 else 'huyện'} {district}"))
    if count > len(units):
        raise ValueError(f"at most {len(units)} units")
    return units[:count]


def _ascii(text: str) -> str:
    import unicodedata

    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def title_for(rng: random.Random, taken: set[str], unit_name: str) -> str:
    for _ in range(50):
        title = "Quy trình " + rng.choice(SUBJECTS) + rng.choice(SUFFIXES)
        if title not in taken:
            taken.add(title)
            return title
    title = f"Quy trình {rng.choice(SUBJECTS)} ({unit_name})"
    taken.add(title)
    return title


def body_for(rng: random.Random, templates: list[Template], title: str, unit_name: str) -> str:
    """Sections 1-4 of one template, 5-7 of another; the department's name becomes the unit's."""
    a, b = rng.sample(templates, 2)
    parts = [s for s in a.sections if s[3:5] in ("1.", "2.", "3.", "4.")]
    parts += [s for s in b.sections if s[3:5] not in ("1.", "2.", "3.", "4.")]
    text = "\n\n".join(parts)
    text = text.replace(a.title.removeprefix("Quy trình "), title.removeprefix("Quy trình "))
    text = text.replace(b.title.removeprefix("Quy trình "), title.removeprefix("Quy trình "))
    return text.replace("các phòng, đơn vị trực thuộc Sở", f"{unit_name} và các phòng, đơn vị liên quan") + "\n"


def legal_for(rng: random.Random) -> list[str]:
    return ["TCVN ISO 9001:2015 (ISO 9001:2015) Hệ thống quản lý chất lượng – Các yêu cầu",
            *rng.sample(LEGAL, rng.randint(1, 4))]


def change_note(rng: random.Random) -> str:
    return rng.choice(CHANGES)
