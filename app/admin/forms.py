"""Forms for units and accounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.services import MIN_PASSWORD_LENGTH
from app.choices import choices
from app.web import ROLE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UnitForm(FlaskForm):
    code = StringField(_l("Mã đơn vị"), validators=[
        DataRequired(_l("Vui lòng nhập mã đơn vị.")),
        Regexp(r"^[A-Za-z0-9]{1,10}$", message=_l("Mã đơn vị gồm 1–10 chữ cái không dấu hoặc chữ số."))])
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(_l("Vui lòng nhập tên đơn vị.")),
                                                     Length(max=200)])
    email = EmailField(_l("Thư điện tử nhận nhắc việc"), validators=[
        Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ."), check_deliverability=False)])
    active = BooleanField(_l("Đang hoạt động"), default=True)


class ReorganiseForm(FlaskForm):
    """Merge the unit into another, or move some of its procedures there (a split)."""
    mode = SelectField(_l("Thao tác"), choices=choices([("merge", _l("Sáp nhập cả đơn vị vào đơn vị khác")),
                                                        ("split", _l("Chuyển các quy trình đã chọn sang đơn vị khác"))]))
    target_id = SelectField(_l("Đơn vị nhận"), coerce=int)
    codes = MultiCheckboxField(_l("Quy trình chuyển đi (khi chuyển một phần)"), validate_choice=False)


class UserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Vui lòng nhập tên đăng nhập.")),
        Regexp(r"^[A-Za-z0-9._-]{2,80}$", message=_l("Tên đăng nhập gồm chữ không dấu, số, dấu chấm, gạch."))])
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(_l("Vui lòng nhập họ và tên.")),
                                                         Length(max=200)])
    email = EmailField(_l("Thư điện tử"), validators=[
        Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ."), check_deliverability=False)])
    unit_id = SelectField(_l("Đơn vị"), coerce=int)
    roles = MultiCheckboxField(_l("Vai trò"), choices=choices(ROLE_LABELS.items()))
    active = BooleanField(_l("Đang hoạt động"), default=True)
    password = PasswordField(_l("Mật khẩu ban đầu"), validators=[
        Optional(), Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(n)s ký tự.",
                                                               n=MIN_PASSWORD_LENGTH))])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(_l("Vui lòng nhập mật khẩu mới.")),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(n)s ký tự.",
                                                   n=MIN_PASSWORD_LENGTH))])
