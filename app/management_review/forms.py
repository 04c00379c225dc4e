"""Forms of the management review pages (prefixed so that the forms of one page never clash)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.capa.forms import _int_or_none
from app.choices import choices
from app.management_review.labels import OUTPUT_KIND_LABELS


class MeetingForm(FlaskForm):
    year = IntegerField(_l("Năm"), validators=[DataRequired(_l("Vui lòng nhập năm.")),
                                               NumberRange(2000, 2100, _l("Năm không hợp lệ."))])
    title = StringField(_l("Tên cuộc họp"), validators=[DataRequired(_l("Vui lòng nhập tên cuộc họp.")),
                                                        Length(max=300)])
    meeting_on = DateField(_l("Ngày họp"), validators=[DataRequired(_l("Vui lòng chọn ngày họp."))])
    location = StringField(_l("Địa điểm"), validators=[Optional(), Length(max=200)])
    chair_id = SelectField(_l("Chủ trì"), coerce=_int_or_none,
                           validators=[DataRequired(_l("Vui lòng chọn người chủ trì."))])
    attendees = TextAreaField(_l("Thành phần tham dự"), validators=[Optional()])


class InputTextForm(FlaskForm):
    text = TextAreaField(_l("Nội dung"), validators=[Optional()])


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Diễn biến và kết luận cuộc họp"),
                            validators=[DataRequired(_l("Vui lòng ghi biên bản."))])


class OutputForm(FlaskForm):
    kind = SelectField(_l("Loại kết luận"), choices=choices(OUTPUT_KIND_LABELS.items()),
                       validators=[DataRequired(_l("Vui lòng chọn loại kết luận."))])
    description = TextAreaField(_l("Quyết định, hành động"), validators=[DataRequired(_l("Vui lòng nhập nội dung."))])
    owner_unit_id = SelectField(_l("Đơn vị thực hiện"), coerce=_int_or_none, validators=[Optional()])
    owner_user_id = SelectField(_l("Người thực hiện"), coerce=_int_or_none, validators=[Optional()])
    due_on = DateField(_l("Hạn hoàn thành"), validators=[DataRequired(_l("Vui lòng chọn hạn hoàn thành."))])
    procedure = SelectField(_l("Quy trình cần sửa đổi (nếu có)"), validators=[Optional()])


class CompleteOutputForm(FlaskForm):
    done_on = DateField(_l("Ngày hoàn thành"), validators=[DataRequired(_l("Vui lòng chọn ngày hoàn thành."))])
    result = TextAreaField(_l("Kết quả thực hiện"), validators=[DataRequired(_l("Vui lòng ghi kết quả thực hiện."))])
