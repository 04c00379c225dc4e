"""Sample procedures and a spawn-safe worker for the search tests."""

from __future__ import annotations

from app.search import IndexedProcedure, SearchIndex


def proc(code: str, title: str, body: str = "", *, unit: str = "VP", status: str = "hiệu lực",
         variant: str = "issued", legal: tuple[str, ...] = ()) -> IndexedProcedure:
    return IndexedProcedure(code, variant, title, unit, status, list(legal), body, "2025-03-01T08:00:00")


def sample_procedures() -> list[IndexedProcedure]:
    return [
        proc("QT-VP-01", "Quy trình đăng ký hồ sơ",
             "Bộ phận một cửa tiếp nhận hồ sơ đăng ký hoạt động khoa học và công nghệ.",
             legal=("Nghị định 08/2014/NĐ-CP",)),
        proc("QT-VP-02", "Quy trình lưu trữ văn bản",
             "Văn thư lưu trữ văn bản đến và đi theo quy định."),
        proc("QT-BX-01", "Quy trình cấp phép bức xạ",
             "Thẩm định hồ sơ cấp phép tiến hành công việc bức xạ.", unit="BX"),
        proc("QT-BX-02", "Quy trình kiểm tra an toàn bức xạ",
             "Kiểm tra định kỳ an toàn bức xạ tại cơ sở X-quang.", unit="BX", status="hết hiệu lực"),
        proc("QT-TĐC-01", "Quy trình kiểm định phương tiện đo",
             "Kiểm định, hiệu chuẩn phương tiện đo lường; tiêu chuẩn chất lượng.", unit="TĐC"),
        proc("QT-KH-01", "Quy trình thẩm định nhiệm vụ khoa học",
             "Hội đồng thẩm định nhiệm vụ khoa học và công nghệ cấp tỉnh.", unit="KH"),
        # A draft revising an issued procedure, and a draft with no issued text yet.
        proc("QT-VP-01", "Quy trình đăng ký hồ sơ (sửa đổi)",
             "Dự thảo: tiếp nhận hồ sơ đăng ký trực tuyến.", variant="draft"),
        proc("QT-KH-02", "Quy trình nghiệm thu đề tài",
             "Dự thảo quy trình nghiệm thu đề tài khoa học; hồ sơ đăng ký nghiệm thu.", unit="KH",
             status="dự thảo", variant="draft"),
    ]


def hammer(path: str, worker: int, count: int) -> None:
    """Run in a spawned process: *count* updates, each its own procedure and commit."""
    index = SearchIndex(path)
    for i in range(count):
        index.update(proc(f"QT-P{worker}-{i:03d}", f"Quy trình tiến trình {worker} số {i}",
                          f"Cập nhật đồng thời từ tiến trình {worker}, lần {i}."))
    index.close()
