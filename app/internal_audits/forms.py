"""Forms of the internal audit pages; each has its own prefix on the audit page so fields never clash."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.capa.forms import _int_or_none
from app.choices import choices
from app.internal_audits.labels import CHECK_RESULT_LABELS, FINDING_KIND_LABELS


class ProgrammeForm(FlaskForm):
    year = IntegerField(_l("Năm"), validators=[DataRequired(_l("Vui lòng nhập năm.")),
                                               NumberRange(2000, 2100, _l("Năm không hợp lệ."))])
    title = StringField(_l("Tên chương trình"), validators=[DataRequired(_l("Vui lòng nhập tên chương trình.")),
                                                            Length(max=300)])
    note = TextAreaField(_l("Mục tiêu, phạm vi, chuẩn mực đánh giá"), validators=[Optional()])


class PlanAuditForm(FlaskForm):
    unit_id = SelectField(_l("Đơn vị được đánh giá"), coerce=_int_or_none,
                          validators=[DataRequired(_l("Vui lòng chọn đơn vị được đánh giá."))])
    starts_on = DateField(_l("Ngày bắt đầu"), validators=[DataRequired(_l("Vui lòng chọn ngày bắt đầu."))])
    ends_on = DateField(_l("Ngày kết thúc"), validators=[DataRequired(_l("Vui lòng chọn ngày kết thúc."))])
    lead_auditor_id = SelectField(_l("Trưởng đoàn đánh giá"), coerce=_int_or_none,
                                  validators=[DataRequired(_l("Vui lòng chọn trưởng đoàn đánh giá."))])
    team = SelectMultipleField(_l("Thành viên đoàn đánh giá"), coerce=int, validators=[Optional()])
    procedures = SelectMultipleField(_l("Phạm vi: các quy trình được đánh giá"),
                                     validators=[DataRequired(_l("Vui lòng chọn ít nhất một quy trình."))])
    objective = TextAreaField(_l("Mục đích cuộc đánh giá"), validators=[Optional()])


class AnswerForm(FlaskForm):
    result = SelectField(_l("Kết quả"), choices=choices([("", "—"), *CHECK_RESULT_LABELS.items()]),
                         validators=[DataRequired(_l("Vui lòng chọn kết quả."))])
    note = StringField(_l("Ghi chú, bằng chứng"), validators=[Optional(), Length(max=2000)])


class QuestionForm(FlaskForm):
    reference = StringField(_l("Điều khoản / bước quy trình"), validators=[Optional(), Length(max=80)])
    question = TextAreaField(_l("Câu hỏi"), validators=[DataRequired(_l("Vui lòng nhập câu hỏi."))])


class FindingForm(FlaskForm):
    kind = SelectField(_l("Loại phát hiện"), choices=choices(FINDING_KIND_LABELS.items()),
                       validators=[DataRequired(_l("Vui lòng chọn loại phát hiện."))])
    clause = StringField(_l("Điều khoản ISO 9001"), validators=[Optional(), Length(max=80)])
    procedure = SelectField(_l("Quy trình liên quan"), validators=[Optional()])
    description = TextAreaField(_l("Mô tả phát hiện"), validators=[DataRequired(_l("Vui lòng mô tả phát hiện."))])
    evidence = TextAreaField(_l("Bằng chứng khách quan"),
                             validators=[DataRequired(_l("Vui lòng ghi bằng chứng khách quan."))])
    correction = TextAreaField(_l("Khắc phục tức thời (nếu có)"), validators=[Optional()])


class ReportForm(FlaskForm):
    conclusion = TextAreaField(_l("Kết luận của đoàn đánh giá"),
                               validators=[DataRequired(_l("Vui lòng nhập kết luận."))])


class CloseForm(FlaskForm):
    reason = TextAreaField(_l("Lý do kết thúc khi còn phiếu CAPA chưa kiểm tra hiệu quả"), validators=[Optional()])
