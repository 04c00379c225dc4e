"""Forms of the CAPA pages; each form on the record page has its own prefix so their fields never clash."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.choices import choices
from app.capa.labels import KIND_LABELS, SOURCE_LABELS


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CapaForm(FlaskForm):
    kind = RadioField(_l("Loại hành động"), choices=choices(KIND_LABELS.items()), default="corrective",
                      validators=[DataRequired(_l("Vui lòng chọn loại hành động."))])
    source = SelectField(_l("Nguồn phát hiện"), choices=choices(SOURCE_LABELS.items()),
                         validators=[DataRequired(_l("Vui lòng chọn nguồn phát hiện."))])
    title = StringField(_l("Tiêu đề"), validators=[DataRequired(_l("Vui lòng nhập tiêu đề.")), Length(max=300)])
    description = TextAreaField(_l("Mô tả sự không phù hợp hoặc rủi ro"),
                                validators=[DataRequired(_l("Vui lòng mô tả sự không phù hợp hoặc rủi ro."))])
    unit_id = SelectField(_l("Đơn vị chịu trách nhiệm"), coerce=_int_or_none, validators=[Optional()])
    procedures = SelectMultipleField(_l("Quy trình liên quan"), validators=[Optional()])
    review_id = HiddenField()


class AcceptForm(FlaskForm):
    unit_id = SelectField(_l("Giao đơn vị chịu trách nhiệm"), coerce=_int_or_none,
                          validators=[DataRequired(_l("Vui lòng chọn đơn vị chịu trách nhiệm."))])
    note = StringField(_l("Ghi chú"), validators=[Optional(), Length(max=500)])


class AnalysisForm(FlaskForm):
    root_cause = TextAreaField(_l("Nguyên nhân gốc rễ"),
                               validators=[DataRequired(_l("Vui lòng nêu nguyên nhân gốc rễ."))])
    similar_elsewhere = RadioField(
        _l("Vấn đề tương tự có tồn tại hoặc có thể xảy ra ở nơi khác không?"),
        choices=choices([("no", _l("Không")), ("yes", _l("Có"))]),
        validators=[DataRequired(_l("Vui lòng cho biết vấn đề tương tự có xảy ra ở nơi khác không."))])
    similar_note = TextAreaField(_l("Ở đâu, xử lý thế nào"), validators=[Optional()])


class ActionForm(FlaskForm):
    description = TextAreaField(_l("Hành động"), validators=[DataRequired(_l("Vui lòng mô tả hành động."))])
    owner_unit_id = SelectField(_l("Đơn vị thực hiện"), coerce=_int_or_none, validators=[Optional()])
    owner_user_id = SelectField(_l("Người thực hiện"), coerce=_int_or_none, validators=[Optional()])
    due_on = DateField(_l("Hạn hoàn thành"), validators=[DataRequired(_l("Vui lòng chọn hạn hoàn thành."))])


class EditActionForm(FlaskForm):
    description = TextAreaField(_l("Hành động"), validators=[DataRequired(_l("Vui lòng mô tả hành động."))])
    due_on = DateField(_l("Hạn hoàn thành"), validators=[DataRequired(_l("Vui lòng chọn hạn hoàn thành."))])


class CompleteActionForm(FlaskForm):
    done_on = DateField(_l("Ngày hoàn thành"), validators=[DataRequired(_l("Vui lòng chọn ngày hoàn thành."))])
    evidence = TextAreaField(_l("Bằng chứng"), validators=[DataRequired(_l("Vui lòng ghi bằng chứng."))])


class VerifyForm(FlaskForm):
    verified_on = DateField(_l("Ngày kiểm tra"), validators=[DataRequired(_l("Vui lòng chọn ngày kiểm tra."))])
    effective = RadioField(_l("Kết quả"), choices=choices([("yes", _l("Có hiệu quả")), ("no", _l("Chưa hiệu quả"))]),
                           validators=[DataRequired(_l("Vui lòng chọn kết quả: có hiệu quả hay chưa hiệu quả."))])
    evidence = TextAreaField(_l("Bằng chứng, nhận xét"), validators=[DataRequired(_l("Vui lòng ghi bằng chứng."))])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Lý do hủy"), validators=[DataRequired(_l("Vui lòng nêu lý do hủy phiếu."))])


class LinkProcedureForm(FlaskForm):
    code = SelectField(_l("Quy trình"), validators=[DataRequired(_l("Vui lòng chọn quy trình."))])

