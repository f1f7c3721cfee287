"""The fragments engine: Jinja2 templates (``templates/fragments/``) for the markup that pages
repeat tens to thousands of times: session cards, speaker chips and avatars, media posters,
kind badges, agenda stars.

Pages are Django templates and draw a fragment through a template tag
(``{% speaker_chips %}``, ``{% media_embed %}``, ``{% session_cards %}``...), which calls
:func:`render_fragment`. A fragment sees only what its tag passes it (no request, no user), so
a fragment's output depends on its arguments alone: that is what lets cards be cached.

Autoescaping is on; Django's safe strings (stored markdown, ``mark_safe``) pass unescaped, as
in Django templates. The filters and globals below are the Django template features the
fragments use, each the Django function itself, so both languages format alike; the shared
macros (``speaker_chips``, ``avatar``, ``kind_badge``, ``agenda_star``) are globals too.
"""

from django.template import engines
from django.template.defaultfilters import time as time_format
from django.templatetags.tz import do_timezone
from django.utils.safestring import mark_safe
from jinja2 import Environment

from conference.markup import stored_markdown
from conference.paths import page_path

ENGINE = "fragments"
AVATAR_TONES = 6


def url(name, **kwargs):
    """``url("talks:tag_detail", slug=tag.slug)``: Django's ``{% url %}``."""
    return page_path(name, **kwargs)


def local_time(value, zone, format_string="H:i"):
    """``starts_at|local_time(event.time_zone)``: ``|timezone:zone|time:"H:i"`` of Django's."""
    return time_format(do_timezone(value, zone), format_string)


def initials(name):
    """``Rohit Yadav`` -> ``RY``: the placeholder drawn where a speaker has no photo."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][:1] + words[-1][:1]).upper()


def avatar_tone(speaker):
    """The colour of a speaker's initials, picked from their id."""
    return (speaker.pk or 0) % AVATAR_TONES


class SharedMacro:
    """A macro of a fragment that every fragment calls by name, without importing it: a
    ``{% from ... import ... %}`` runs again at each render of the fragment holding it, a
    cost a page of a thousand cards pays a thousand times."""

    def __init__(self, template_name, macro):
        self.template_name, self.macro = template_name, macro

    def __call__(self, *args, **kwargs):
        return fragment_macro(self.template_name, self.macro)(*args, **kwargs)


SHARED_MACROS = {
    "avatar": SharedMacro("_avatar.html", "avatar"),
    "speaker_chips": SharedMacro("_speaker_chips.html", "speaker_chips"),
    "kind_badge": SharedMacro("_kind_badge.html", "kind_badge"),
    "agenda_star": SharedMacro("_agenda_star.html", "agenda_star"),
}


def environment(**options):
    env = Environment(**options)
    env.globals.update(url=url, avatar_tone=avatar_tone, **SHARED_MACROS)
    env.filters.update(
        initials=initials,
        local_time=local_time,
        stored_markdown=stored_markdown,
    )
    return env


def fragment_engine():
    return engines[ENGINE]


def render_fragment(name, context):
    """The HTML of fragment ``name`` drawn with ``context``, safe to place in a page."""
    # The environment's template, not the backend's: Django's wrapper adds nothing to a
    # fragment (no request, no context processors) but its cost, thousands of times a page.
    template = fragment_engine().env.get_template(name)
    return mark_safe(template.render(context))  # autoescaped


def fragment_source(name):
    """The source text of fragment ``name`` (for keys that change when a fragment does)."""
    env = fragment_engine().env
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return source


def fragment_macro(name, macro):
    """Macro ``macro`` of fragment ``name`` as a function returning safe HTML (what a
    :class:`SharedMacro` calls, for fragments and for the template tags of Django pages)."""
    return getattr(fragment_engine().get_template(name).template.module, macro)
