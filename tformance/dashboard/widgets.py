"""A select rendered in Python: the filters' author list has one option per person, and
Django's widget templates render each option as a template of its own."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class OptionsSelect(forms.Select):
    """`forms.Select`'s markup for flat choices, without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in chosen
            if selected:  # one selected option, as Django's select marks it
                chosen = set()
            options.append((option_value, " selected" if selected else "", label))
        return format_html(
            "<select{}>{}</select>",
            flatatt({"name": name, **self.build_attrs(self.attrs, attrs)}),
            format_html_join("", '\n  <option value="{}"{}>{}</option>', options),
        )
