"""Forms of document control."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.store.document import TITLE_MAX


class MaxChars:
    """Length limit with a message, and no `maxlength` attribute: a browser would cut a long title
    silently mid-word; the server refuses it and says why, keeping what was typed."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        n = len(field.data or "")
        if n > self.limit:
            raise ValidationError(_l("Dài %(n)s ký tự, tối đa %(max)s ký tự. Hãy rút gọn.", n=n, max=self.limit))


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def legal_bases_list(text: str) -> list[str]:
    return [line.strip(" -\t") for line in (text or "").splitlines() if line.strip(" -\t")]


class NewProcedureForm(FlaskForm):
    code = StringField(_l("Mã hiệu"), validators=[DataRequired(_l("Vui lòng nhập mã hiệu.")), Length(max=40)])
    title = StringField(_l("Tên quy trình"), validators=[DataRequired(_l("Vui lòng nhập tên quy trình.")),
                                                         MaxChars(TITLE_MAX)])
    # blank = take the unit from the code (QT-QLKH-09 -> QLKH); a unit that contradicts the code is refused
    unit_id = SelectField(_l("Đơn vị chủ trì"), coerce=_optional_int, validate_choice=False)
    legal_bases = TextAreaField(_l("Căn cứ pháp lý (mỗi dòng một văn bản)"), validators=[Optional()])
    body = TextAreaField(_l("Nội dung (Markdown)"), validators=[Optional()])


class EditForm(FlaskForm):
    base_revision = HiddenField()
    body = TextAreaField(_l("Nội dung (Markdown)"))
    message = StringField(_l("Nội dung sửa đổi (ghi vào lịch sử)"), validators=[Optional(), Length(max=300)])


class MetadataForm(FlaskForm):
    base_revision = HiddenField()
    title = StringField(_l("Tên quy trình"), validators=[DataRequired(_l("Vui lòng nhập tên quy trình.")),
                                                         MaxChars(TITLE_MAX)])
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
