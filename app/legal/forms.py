"""Forms of the register: a document, a relation or change, an import, a change-triggered review's answer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.legal.labels import CHANGE_LABELS, KIND_LABELS, OUTCOME_LABELS, RELATION_LABELS


class DocumentForm(FlaskForm):
    number = StringField(_l("Số, ký hiệu"), validators=[DataRequired(_l("Vui lòng nhập số, ký hiệu văn bản.")),
                                                         Length(max=120)])
    kind = SelectField(_l("Loại văn bản"), choices=[])
    title = TextAreaField(_l("Trích yếu"), validators=[DataRequired(_l("Vui lòng nhập trích yếu (tên) văn bản.")),
                                                        Length(max=1000)])
    issuer = StringField(_l("Cơ quan ban hành"), validators=[Optional(), Length(max=200)])
    signed_on = DateField(_l("Ngày ban hành"), validators=[Optional()])
    effective_on = DateField(_l("Ngày có hiệu lực"), validators=[Optional()])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(v)) for k, v in KIND_LABELS.items()]


class NewDocumentForm(DocumentForm):
    """A new document may amend, replace, repeal or guide one already in the register."""

    relation = SelectField(_l("Văn bản này"), choices=[], validators=[Optional()])
    target_number = StringField(_l("Số, ký hiệu của văn bản bị tác động"), validators=[Optional(), Length(max=120)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relation.choices = [("", str(_l("— không sửa đổi, thay thế văn bản nào —")))] + \
            [(k, str(v)) for k, v in RELATION_LABELS.items()]


class ChangeForm(FlaskForm):
    kind = SelectField(_l("Thay đổi"), choices=[])
    by_number = StringField(_l("Bởi văn bản (số, ký hiệu; đã có trong danh mục)"),
                            validators=[Optional(), Length(max=120)])
    effective_on = DateField(_l("Thay đổi có hiệu lực từ ngày"), validators=[Optional()])
    note = TextAreaField(_l("Ghi chú (nội dung thay đổi)"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, str(v)) for k, v in CHANGE_LABELS.items()]


class RelationForm(FlaskForm):
    relation = SelectField(_l("Văn bản này"), choices=[])
    target_number = StringField(_l("Văn bản (số, ký hiệu)"), validators=[
        DataRequired(_l("Vui lòng nhập số, ký hiệu văn bản.")), Length(max=120)])
    effective_on = DateField(_l("Có hiệu lực từ ngày"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relation.choices = [(k, str(v)) for k, v in RELATION_LABELS.items()]


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp CSV hoặc XLSX"))


class ChangeReviewForm(FlaskForm):
    outcome = RadioField(_l("Kết quả rà soát"), choices=[],
                         validators=[DataRequired(_l("Vui lòng chọn kết quả rà soát."))])
    note = TextAreaField(_l("Nhận xét: ảnh hưởng của thay đổi đến quy trình"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [(k, str(v)) for k, v in OUTCOME_LABELS.items()]
