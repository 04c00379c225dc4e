"""Forms of the objectives pages: plans and their settings, objectives, indicators, tasks, decisions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.choices import choices
from app.objectives.labels import FREQUENCY, RULE_CHOICES, SOURCE

REQUIRED = _l("Vui lòng điền mục này.")


class NewPlanForm(FlaskForm):
    year = IntegerField(_l("Năm kế hoạch"), validators=[DataRequired(_l("Vui lòng nhập năm.")),
                                                         NumberRange(2000, 2100, _l("Năm không hợp lệ."))])
    copy_from = SelectField(_l("Sao chép từ kế hoạch năm"), choices=[], validate_choice=False)


class SettingsForm(FlaskForm):
    title = StringField(_l("Tên kế hoạch"), validators=[DataRequired(REQUIRED), Length(max=300)])
    window_start_day = IntegerField(_l("Kỳ tháng bắt đầu từ ngày (15: từ ngày 15 tháng trước đến ngày 14; 1: cả tháng)"),
                                    validators=[DataRequired(REQUIRED), NumberRange(1, 28)])
    unit_due_day = IntegerField(_l("Đơn vị gửi báo cáo chậm nhất ngày"),
                                validators=[DataRequired(REQUIRED), NumberRange(1, 31)])
    office_due_day = IntegerField(_l("Văn phòng tổng hợp chậm nhất ngày"),
                                  validators=[DataRequired(REQUIRED), NumberRange(1, 31)])
    year_due_on = DateField(_l("Hạn báo cáo năm của đơn vị"), validators=[DataRequired(REQUIRED)])
    year_office_due_on = DateField(_l("Hạn tổng hợp báo cáo năm"), validators=[DataRequired(REQUIRED)])
    holidays = TextAreaField(_l("Ngày nghỉ lễ (mỗi dòng một ngày dd/mm/yyyy, có thể ghi chú sau ngày)"),
                             validators=[Optional(), Length(max=4000)])
    monitoring = TextAreaField(_l("Biện pháp theo dõi thực hiện"), validators=[Optional(), Length(max=4000)])
    signed_by = StringField(_l("Người ký"), validators=[Optional(), Length(max=200)])


class ObjectiveForm(FlaskForm):
    code = StringField(_l("Mã mục tiêu"), validators=[DataRequired(REQUIRED), Length(max=10)])
    statement = TextAreaField(_l("Nội dung mục tiêu"), validators=[DataRequired(REQUIRED), Length(max=4000)])


class IndicatorForm(FlaskForm):
    name = StringField(_l("Chỉ số (đo cái gì)"), validators=[DataRequired(REQUIRED), Length(max=300)])
    kind = SelectField(_l("Loại"), choices=choices([("number", _l("Số (tỷ lệ, số lượng)")),
                                                   ("rating", _l("Xếp loại"))]))
    measure = StringField(_l("Đơn vị tính"), default="%", validators=[Optional(), Length(max=40)])
    scale = StringField(_l("Thang xếp loại (từ thấp đến cao, cách nhau bởi |)"), validators=[Optional(), Length(max=300)])
    direction = SelectField(_l("So sánh"), choices=choices([(">=", _l("ít nhất (>=)")),
                                                            ("<=", _l("nhiều nhất (<=)"))]))
    target = StringField(_l("Chỉ tiêu"), validators=[DataRequired(REQUIRED), Length(max=60)])
    margin = StringField(_l("Ngưỡng cảnh báo (thiếu bao nhiêu thì “có nguy cơ”)"), validators=[Optional()])
    frequency = SelectField(_l("Tần suất"), choices=choices(FREQUENCY.items()))
    source = SelectField(_l("Nguồn số liệu"), choices=choices(SOURCE.items()))
    owner_unit = SelectField(_l("Đơn vị nộp số liệu"), choices=[], validate_choice=False)


class TaskForm(FlaskForm):
    content = TextAreaField(_l("Nội dung công việc"), validators=[DataRequired(REQUIRED), Length(max=8000)])
    performer_text = TextAreaField(_l("Đơn vị thực hiện (nguyên văn kế hoạch)"), validators=[Optional()])
    coordination_text = TextAreaField(_l("Phối hợp thực hiện (nguyên văn)"), validators=[Optional()])
    deadline_text = TextAreaField(_l("Thời gian hoàn thành (nguyên văn)"), validators=[Optional()])
    all_units = BooleanField(_l("Tất cả các phòng, đơn vị thực hiện và báo cáo"))
    lead = StringField(_l("Đơn vị chủ trì (mã, cách nhau bởi dấu phẩy)"), validators=[Optional()])
    coordinating = StringField(_l("Đơn vị phối hợp (mã, cách nhau bởi dấu phẩy)"), validators=[Optional()])
    rule = SelectField(_l("Quy tắc thời hạn"), choices=choices(RULE_CHOICES.items()))
    rule_day = IntegerField(_l("Ngày hạn (hàng tháng / hàng quý)"), validators=[Optional(), NumberRange(1, 31)])
    rule_date = DateField(_l("Hạn (hàng năm)"), validators=[Optional()])


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Ý kiến"), validators=[DataRequired(_l("Vui lòng ghi ý kiến.")), Length(max=4000)])


class SummaryForm(FlaskForm):
    summary = TextAreaField(_l("Báo cáo tổng hợp, đánh giá chung"), validators=[Optional(), Length(max=20000)])


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp XLSX theo mẫu"))
