"""``{{ text|markdown }}``: sanitised markdown for templates."""

from django import template

from conference.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)
