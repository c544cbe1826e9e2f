"""The bases of every form: people's input checked once (``core.inputs``).

A control character, text over the length limit or a date outside the sane range becomes
an error on its field, whichever page the form is on. ``tests/core/test_forms.py`` fails
for a form of the project that does not derive from ``CheckedInputMixin``.
"""

from __future__ import annotations

from django import forms

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
