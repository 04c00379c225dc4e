"""Forms of document control."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


def legal_bases_list(text: str) -> list[str]:
    return [line.strip(" -\t") for line in (text or "").splitlines() if line.strip(" -\t")]


class NewProcedureForm(FlaskForm):
    code = StringField(_l("Mã hiệu"), validators=[DataRequired(_l("Vui lòng nhập mã hiệu.")), Length(max=40)])
    title = StringField(_l("Tên quy trình"), validators=[DataRequired(_l("Vui lòng nhập tên quy trình.")),
                                                         Length(max=300)])
    unit_id = SelectField(_l("Đơn vị chủ trì"), coerce=int)
    legal_bases = TextAreaField(_l("Căn cứ pháp lý (mỗi dòng một văn bản)"), validators=[Optional()])
    body = TextAreaField(_l("Nội dung (Markdown)"), validators=[Optional()])


class EditForm(FlaskForm):
    base_revision = HiddenField()
    body = TextAreaField(_l("Nội dung (Markdown)"))
    message = StringField(_l("Nội dung sửa đổi (ghi vào lịch sử)"), validators=[Optional(), Length(max=300)])


class MetadataForm(FlaskForm):
    base_revision = HiddenField()
    title = StringField(_l("Tên quy trình"), validators=[DataRequired(_l("Vui lòng nhập tên quy trình.")),
                                                         Length(max=300)])
    unit_id = SelectField(_l("Đơn vị chủ trì"), coerce=int)
    drafted_by = StringField(_l("Người soạn thảo"), validators=[Optional(), Length(max=200)])
    reviewed_by = StringField(_l("Người xem xét"), validators=[Optional(), Length(max=200)])
    legal_bases = TextAreaField(_l("Căn cứ pháp lý (mỗi dòng một văn bản)"), validators=[Optional()])


class ApproveForm(FlaskForm):
    effective_on = DateField(_l("Ngày hiệu lực"), validators=[DataRequired(_l("Vui lòng chọn ngày hiệu lực."))])
    message = StringField(_l("Nội dung sửa đổi của lần ban hành này"), validators=[Optional(), Length(max=300)])


class RejectForm(FlaskForm):
    comment = TextAreaField(_l("Ý kiến của lãnh đạo"), validators=[DataRequired(_l("Vui lòng ghi ý kiến."))])


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField(_l("Ngày bãi bỏ"), validators=[DataRequired(_l("Vui lòng chọn ngày."))])
    reason = TextAreaField(_l("Lý do bãi bỏ"), validators=[DataRequired(_l("Vui lòng nêu lý do bãi bỏ."))])
