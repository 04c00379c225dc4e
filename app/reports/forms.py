"""Forms of the yearly report and the conformity announcement."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.reports.yearly import SECTIONS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class YearlyReportForm(FlaskForm):
    number = StringField(_l("Số báo cáo"), validators=[Optional(), Length(max=60)])


for _key, _label in SECTIONS:
    setattr(YearlyReportForm, _key, TextAreaField(_label, validators=[Optional()]))


class AnnouncementForm(FlaskForm):
    number = StringField(_l("Số quyết định"), validators=[DataRequired(_l("Vui lòng nhập số quyết định.")),
                                                          Length(max=60)])
    signed_on = DateField(_l("Ngày ký"), validators=[DataRequired(_l("Vui lòng chọn ngày ký."))])
    signer = StringField(_l("Người ký"), validators=[DataRequired(_l("Vui lòng nhập người ký.")), Length(max=200)])
    scope = MultiCheckboxField(_l("Phạm vi: các quy trình được công bố"),
                               validators=[DataRequired(_l("Vui lòng chọn ít nhất một quy trình."))])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional()])
