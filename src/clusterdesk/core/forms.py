"""The bases of every form: people's input checked once (``core.inputs``).

A control character, text over the length limit or a date outside the sane range becomes
an error on its field, whichever page the form is on. ``tests/core/test_forms.py`` fails
for a form of the project that does not derive from ``CheckedInputMixin``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.inputs import input_problem


class CheckedInputMixin(forms.BaseForm):
    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, value in list(self.cleaned_data.items()):
            problem = input_problem(value)
            if problem:
                self.add_error(name if name in self.fields else None, problem)


class Form(CheckedInputMixin, forms.Form):
    pass


class ModelForm(CheckedInputMixin, forms.ModelForm):
    pass


# -- a choice among hundreds, searched as one types ------------------------------------------

_PK_SUFFIX = re.compile(r"\[(\d+)\]\s*$")


class DatalistInput(forms.TextInput):
    """A text field that suggests its field's choices as one types: the browser's own
    ``<datalist>`` (no script, nothing vendored), for a choice among hundreds where a
    drop-down would be a wall of names."""

    field: SearchableModelChoiceField | None = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}_choices"
        attrs["list"] = list_id
        attrs.setdefault("autocomplete", "off")
        html = super().render(name, value, attrs, renderer)
        labels = self.field.suggestions() if self.field is not None else []
        options = format_html_join("", '<option value="{}"></option>', ((s,) for s in labels))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


class SearchableModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` typed into with suggestions (``DatalistInput``). Each
    suggestion ends with the record's number in brackets ("ACRO — Titre [12]"), which is
    what the field reads back; the choice is still checked against the queryset, so the
    same scope and visibility rules hold as for a drop-down."""

    widget = DatalistInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Type a few letters, then pick a suggestion."))
        super().__init__(*args, **kwargs)
        self.widget.field = self

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result.widget.field = result
        return result

    def suggestion(self, obj: Any) -> str:
        return f"{self.label_from_instance(obj)} [{obj.pk}]"

    def suggestions(self) -> list[str]:
        return [self.suggestion(obj) for obj in self.queryset]  # type: ignore[union-attr]

    def prepare_value(self, value: Any) -> Any:
        if value in self.empty_values:
            return ""
        if isinstance(value, str) and not value.isdigit():
            return value  # what the person typed, shown back with its error
        obj = value if hasattr(value, "pk") else self.queryset.filter(pk=value).first()  # type: ignore[union-attr]
        return self.suggestion(obj) if obj is not None else value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value)
        match = _PK_SUFFIX.search(text)
        if match is None and not text.strip().isdigit():
            raise forms.ValidationError(_("Pick one of the suggestions."), code="invalid_choice")
        return super().to_python(match.group(1) if match else text.strip())
