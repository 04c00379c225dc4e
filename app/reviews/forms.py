"""Forms of the yearly review: open a cycle, change its dates, record a review, return one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.choices import choices
from app.reviews.labels import OUTCOME_LABELS


class CycleSettingsForm(FlaskForm):
    deadline = DateField(_l("Hạn hoàn thành rà soát"),
                         validators=[DataRequired(_l("Vui lòng chọn hạn hoàn thành."))])
    meeting_on = DateField(_l("Ngày họp xem xét của lãnh đạo (nếu đã định)"), validators=[Optional()])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])


class OpenCycleForm(CycleSettingsForm):
    year = IntegerField(_l("Năm rà soát"), validators=[
        DataRequired(_l("Vui lòng nhập năm.")), NumberRange(2000, 2100, _l("Năm rà soát không hợp lệ."))])


class RecordForm(FlaskForm):
    outcome = RadioField(_l("Kết quả rà soát"), choices=choices(OUTCOME_LABELS.items()),
                         validators=[DataRequired(_l("Vui lòng chọn kết quả rà soát."))])
    note = TextAreaField(_l("Nhận xét / nội dung cập nhật / lý do đề nghị bãi bỏ"),
                         validators=[Optional(), Length(max=4000)])


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("Ý kiến của Thư ký ISO"),
                            validators=[DataRequired(_l("Vui lòng ghi ý kiến khi trả lại.")), Length(max=2000)])
