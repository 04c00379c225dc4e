"""Long choice lists rendered in one pass: the same markup as WTForms' own widgets, at a fraction of the cost.

A form that picks procedures at province scale lists 3,000 of them: WTForms builds an attribute dict and a
Markup per option (56 ms for a 3,000-option select, 270-440 ms for 3,000 checkboxes). Here an option is one
f-string of escaped text. Options with their own attributes (render_kw) and grouped choices keep WTForms'
rendering; tests/test_fast_widgets.py checks both give the same HTML.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields import SelectField, SelectMultipleField
from wtforms.fields.choices import Choice


def _plain(field) -> bool:
    return not field.has_groups() and not field.render_kw


def _options(field):
    """The field's options as WTForms gives them, a multiple choice's selection looked up in a set: WTForms
    tests each option against the list of chosen values (3,000 options all chosen: 9 million comparisons)."""
    if not isinstance(field, SelectMultipleField):
        return field._iter_choices_normalized()
    try:
        chosen = set(field.data or ())
    except TypeError:  # values that cannot be hashed: WTForms' own way
        return field._iter_choices_normalized()
    return (Choice(c.value, c.label, field.coerce(c.value) in chosen, c.render_kw)
            for c in field._choices_from_input(field.choices) or [])


class FastSelect(widgets.Select):
    def __call__(self, field, **kwargs):
        if not _plain(field):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {widgets.html_params(name=field.name, **kwargs)}>"]
        for choice in _options(field):
            if choice.render_kw:
                html.append(self.render_option(choice))
                continue
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            html.append(f'<option {"selected " if choice.selected else ""}value="{escape(value)}">'
                        f"{escape(choice.label or choice.value)}</option>")
        html.append("</select>")
        return Markup("".join(html))


def checkbox_list(field, input_class: str = "form-check-input", label_class: str = "form-check-label") -> Markup:
    """The checkboxes of a multiple-choice field as the form macro lays them out, one per line."""
    if not _plain(field):
        return Markup("").join(
            Markup('<div class="form-check">{} {}</div>').format(sub(class_=input_class),
                                                                  sub.label(class_=label_class))
            for sub in field)
    required = " required" if getattr(field.flags, "required", False) else ""
    name, ident = escape(field.name), escape(field.id)
    out = []
    for i, choice in enumerate(_options(field)):
        value = escape(str(choice.value))
        checked = "checked " if choice.selected else ""
        out.append(f'<div class="form-check"><input {checked}class="{input_class}" id="{ident}-{i}" name="{name}"'
                   f'{required} type="checkbox" value="{value}"> <label class="{label_class}" for="{ident}-{i}">'
                   f"{escape(choice.label or choice.value)}</label></div>")
    return Markup("".join(out))


def install(app) -> None:
    SelectField.widget = FastSelect()
    SelectMultipleField.widget = FastSelect(multiple=True)
    app.jinja_env.globals["checkbox_list"] = checkbox_list
