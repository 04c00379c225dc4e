"""The form that creates a personal access token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.api.tokens import MAX_DAYS


class TokenForm(FlaskForm):
    name = StringField(_l("Tên gợi nhớ (dùng cho việc gì)"),
                       validators=[DataRequired(_l("Vui lòng đặt tên cho mã truy cập.")), Length(max=100)])
    scope = RadioField(_l("Quyền"), default="read",
                       choices=[("read", _l("Chỉ đọc")), ("write", _l("Đọc và ghi (ghi nhận rà soát, lập phiếu CAPA…)"))],
                       validators=[DataRequired(_l("Vui lòng chọn quyền."))])
    days = IntegerField(_l("Hiệu lực (số ngày)"), default=90,
                        validators=[DataRequired(_l("Vui lòng nhập số ngày hiệu lực.")),
                                    NumberRange(1, MAX_DAYS, _l("Số ngày hiệu lực từ 1 đến %(max)s.", max=MAX_DAYS))])
