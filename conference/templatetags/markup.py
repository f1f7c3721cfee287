"""``{{ text|markdown }}``: sanitised markdown for templates."""

from django import template

from conference.markup import render_markdown, stored_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="stored_markdown")
def stored_markdown_filter(instance, field):
    """``{{ session|stored_markdown:"description" }}``: the HTML stored at save time."""
    return stored_markdown(instance, field)
