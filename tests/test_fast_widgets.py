"""Long choice lists: the fast rendering gives exactly WTForms' own markup (app/fastwidgets.py)."""
from __future__ import annotations

from markupsafe import Markup
from wtforms import Form, SelectField, SelectMultipleField, widgets
from wtforms.validators import DataRequired

from app.choices import choices
from app.fastwidgets import FastSelect, checkbox_list

PAIRS = [("QT-VP-01", "Quy trình <kiểm soát> tài liệu & hồ sơ"), ("QT-QLKH-02", 'Đăng ký "nhiệm vụ"'),
         ("QT-TTR-03", "")]


class Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class Picks(Form):
    one = SelectField("Một", choices=choices(PAIRS))
    many = SelectMultipleField("Nhiều", choices=choices(PAIRS), validators=[DataRequired()])
    ticks = Checkboxes("Phạm vi", choices=choices(PAIRS), validators=[DataRequired()])


def _form():
    from werkzeug.datastructures import MultiDict

    return Picks(MultiDict([("one", "QT-QLKH-02"), ("many", "QT-VP-01"), ("many", "QT-TTR-03"),
                            ("ticks", "QT-QLKH-02")]))


def test_a_select_renders_as_wtforms_renders_it():
    form = _form()
    for field, widget in ((form.one, widgets.Select()), (form.many, widgets.Select(multiple=True))):
        fast = FastSelect(multiple=widget.multiple)(field, class_="form-select", aria_describedby="x-help")
        assert fast == widget(field, class_="form-select", aria_describedby="x-help")
        assert "selected" in fast and "&lt;kiểm soát&gt; tài liệu &amp; hồ sơ" in fast


def test_checkboxes_render_as_the_form_macro_laid_them_out():
    field = _form().ticks
    slow = Markup("").join(Markup('<div class="form-check">{} {}</div>').format(
        sub(class_="form-check-input"), sub.label(class_="form-check-label")) for sub in field)
    assert checkbox_list(field) == slow
    assert checkbox_list(field).count(" checked") == 1 and "&#34;nhiệm vụ&#34;" in checkbox_list(field)


def test_the_app_renders_its_selects_the_fast_way(app):
    assert isinstance(SelectField.widget, FastSelect)


def test_a_long_multiple_choice_marks_exactly_what_was_chosen():
    from werkzeug.datastructures import MultiDict

    pairs = [(f"QT-X-{i:04d}", f"Quy trình {i}") for i in range(3000)]
    picked = [code for code, _ in pairs[::7]]

    class Many(Form):
        ticks = Checkboxes("Phạm vi", choices=choices(pairs))
        many = SelectMultipleField("Nhiều", choices=choices(pairs))

    form = Many(MultiDict([("ticks", c) for c in picked] + [("many", c) for c in picked]))
    assert checkbox_list(form.ticks).count(" checked") == len(picked)
    assert FastSelect(multiple=True)(form.many) == widgets.Select(multiple=True)(form.many)
    assert 'selected value="QT-X-0007"' in FastSelect(multiple=True)(form.many)
    assert 'value="QT-X-0008"' in checkbox_list(form.ticks) and 'checked class="form-check-input" id="ticks-8"' \
        not in checkbox_list(form.ticks)
