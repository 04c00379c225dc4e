"""The demonstration data set: the department's units and one account per role."""
from __future__ import annotations

from sqlalchemy import select

from app.auth import services
from app.auth.models import ADMIN, COMMITTEE, HEAD, LEADERSHIP, MEMBER, SECRETARY, Unit, User
from app.extensions import db

DEMO_PASSWORD = "demo-password"

UNITS = [
    ("VP", "Văn phòng Sở"),
    ("TTR", "Thanh tra Sở"),
    ("QLKH", "Phòng Quản lý Khoa học"),
    ("QLCN", "Phòng Quản lý Công nghệ và Thị trường KH&CN"),
    ("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
    ("TTUD", "Trung tâm Ứng dụng tiến bộ KH&CN"),
]

PEOPLE = {
    "VP": ("Nguyễn Thị Thu Hà", "Trần Văn Minh"),
    "TTR": ("Lê Thị Hồng Nhung", "Phạm Quốc Bảo"),
    "QLKH": ("Võ Thị Mỹ Linh", "Đặng Văn Khoa"),
    "QLCN": ("Huỳnh Thanh Tâm", "Ngô Minh Đức"),
    "CCTDC": ("Trương Thị Kim Yến", "Lý Hoàng Phúc"),
    "TTUD": ("Châu Thị Ngọc Hân", "Đỗ Thành Long"),
}


def demo_accounts() -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """(username, full name, unit code, roles) of every demo account."""
    accounts = [
        ("admin", "Quản trị hệ thống", None, (ADMIN,)),
        ("thuky", "Nguyễn Thị Lan (Thư ký ISO)", "VP", (SECRETARY,)),
        ("lanhdao", "Lê Hoàng Nam (Giám đốc Sở)", None, (LEADERSHIP,)),
        ("bcd", "Phan Văn Hùng (Ban Chỉ đạo ISO)", None, (COMMITTEE,)),
    ]
    for code, _name in UNITS:
        member, head = PEOPLE[code]
        accounts.append((f"{code.lower()}.cv", member, code, (MEMBER,)))
        accounts.append((f"{code.lower()}.tp", head, code, (HEAD,)))
    return accounts


def load_demo(password: str = DEMO_PASSWORD) -> list[tuple[str, str]]:
    """Create what is missing (idempotent); return (username, roles) of the demo accounts."""
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    for code, name in UNITS:
        if code not in units:
            units[code] = services.create_unit(admin, code=code, name=name,
                                               email=f"{code.lower()}@sokhcn.example.gov.vn")
    out = []
    for username, full_name, unit_code, roles in demo_accounts():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = services.create_user(admin, username=username, full_name=full_name, password=password,
                                        email=f"{username}@sokhcn.example.gov.vn",
                                        unit=units.get(unit_code) if unit_code else None, roles=roles)
            if admin is None and username == "admin":
                admin = user
        out.append((username, ", ".join(roles)))
    db.session.flush()
    return out
