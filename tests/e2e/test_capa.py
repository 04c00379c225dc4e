"""A CAPA in the browser: a review finding raises it for QLKH, QLKH plans and completes two actions,
the secretary verifies effectiveness and closes it, and the timeline shows every step."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.e2e.conftest import shot, sign_in, sign_out

CODE = "QT-QLKH-01"


def _open_cycle(page, url, year: int) -> None:
    """The secretary opens this year's review cycle through the reviews pages."""
    page.goto(f"{url}/reviews/")
    form = page.locator("[data-testid=open-cycle-form]")
    if form.count() == 0:  # a cycle is already open
        return
    form.locator("input[name=year]").fill(str(year))
    form.locator("input[name=deadline]").fill((date.today() + timedelta(days=30)).isoformat())
    form.locator("[data-testid=open-cycle]").click()
    page.wait_for_url(f"{url}/reviews/{year}")


def _review_id(server, year: int, code: str) -> int | None:
    from app.extensions import db
    from app.procedures.models import Procedure
    from app.reviews.models import Review, ReviewCycle

    with server.app.app_context():
        rid = db.session.scalar(select(Review.id).join(ReviewCycle).join(Procedure, Review.procedure_id == Procedure.id)
                                .where(ReviewCycle.year == year, Procedure.code == code))
        db.session.remove()
        return rid


def test_a_review_finding_goes_from_raised_to_verified_and_closed_with_its_whole_timeline(page, live_server):
    url, year, today = live_server.url, date.today().year, date.today().isoformat()

    sign_in(page, live_server, "thuky")
    _open_cycle(page, url, year)
    sign_out(page)
    review_id = _review_id(live_server, year, CODE)
    assert review_id is not None

    # a QLKH member reviewing the procedure finds a problem and raises a corrective action from the review
    sign_in(page, live_server, "qlkh.cv")
    page.goto(f"{url}/reviews/{year}/{CODE}")
    page.locator("[data-testid=raise-capa-from-review]").click()
    page.wait_for_selector("[data-testid=capa-form]")
    assert page.locator("select#source").input_value() == "review"
    assert page.locator("[data-testid=from-review]").is_visible()
    page.fill("#title", "Căn cứ pháp lý của QT-QLKH-01 đã được sửa đổi")
    page.fill("#description", "Khi rà soát năm nay: quy trình còn viện dẫn Nghị định đã được sửa đổi, bổ sung.")
    shot(page, "capa-1-raise-from-review")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=capa-number]")
    number = page.locator("[data-testid=capa-number]").inner_text()
    assert number.startswith(f"CAPA-{year}-")
    assert page.locator("[data-testid=capa-status]").inner_text() == "Đề xuất"
    assert CODE in page.locator("[data-testid=capa-procedures]").inner_text()
    sign_out(page)

    # the secretary accepts it and assigns it to QLKH (the unit comes from the review)
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/capa/{number}")
    assert page.locator("select#accept-unit_id option:checked").inner_text().startswith("QLKH")
    page.click("[data-testid=accept]")
    page.wait_for_selector("text=Đã tiếp nhận phiếu")
    sign_out(page)

    # QLKH analyses the cause, plans two actions, starts and completes them
    sign_in(page, live_server, "qlkh.cv")
    page.goto(f"{url}/capa/{number}")
    page.fill("#analysis-root_cause", "Không có đầu mối theo dõi văn bản pháp luật mới ban hành.")
    page.check("#analysis-similar_elsewhere-0")
    page.click("[data-testid=analyse]")
    page.wait_for_selector("text=Đã ghi nhận phân tích nguyên nhân.")
    for i, text in enumerate(["Phân công đầu mối theo dõi văn bản pháp luật",
                              "Cập nhật căn cứ pháp lý và trình ban hành lại"]):
        form = page.locator("[data-testid=action-form]")
        if not form.is_visible():
            page.click("[data-testid=capa-actions] summary:has-text('Thêm hành động')")
        page.fill("#action-description", text)
        page.fill("#action-due_on", (date.today() + timedelta(days=7 * (i + 1))).isoformat())
        page.click("[data-testid=add-action]")
        page.wait_for_selector("text=Đã thêm hành động.")
    assert page.locator("[data-testid=action]").count() == 2
    page.click("[data-testid=plan]")
    page.wait_for_selector("text=Đã xác nhận kế hoạch hành động.")
    page.click("[data-testid=start]")
    page.wait_for_selector("text=Đã bắt đầu thực hiện các hành động.")
    for seq in (1, 2):
        page.click(f"[data-testid=action][data-seq='{seq}'] summary")
        page.fill(f"#done{seq}-done_on", today)
        page.fill(f"#done{seq}-evidence", f"Bằng chứng hành động {seq}")
        page.click(f"[data-testid=complete-{seq}]")
        page.wait_for_selector(f"text=Đã ghi nhận hoàn thành hành động {seq}.")
    assert page.locator("[data-testid=action][data-state=done]").count() == 2
    shot(page, "capa-2-actions-done")
    sign_out(page)

    # the secretary verifies effectiveness and closes
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/capa/{number}")
    page.check("#verify-effective-0")
    page.fill("#verify-evidence", "Quy trình đã ban hành lại với căn cứ pháp lý mới.")
    page.click("[data-testid=verify]")
    page.wait_for_selector("text=Đã ghi nhận: hành động có hiệu quả.")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=close]")
    page.wait_for_selector(f"text=Đã đóng phiếu {number}.")
    assert page.locator("[data-testid=capa-status]").inner_text() == "Đã đóng"

    steps = page.locator("[data-testid=timeline-event]")
    assert [steps.nth(i).get_attribute("data-action") for i in range(steps.count())] == [
        "capa.create", "capa.accept", "capa.analyse", "capa.action_add", "capa.action_add", "capa.plan",
        "capa.start", "capa.action_done", "capa.action_done", "capa.verify", "capa.close"]
    timeline = page.locator("[data-testid=timeline]").inner_text()
    for who in ("Võ Thị Mỹ Linh", "Nguyễn Thị Lan (Thư ký ISO)"):
        assert who in timeline
    shot(page, "capa-3-closed-timeline")

    # the register lists it as closed
    page.goto(f"{url}/capa/?status=closed")
    assert page.locator(f"[data-testid=capa-row][data-number='{number}']").count() == 1
