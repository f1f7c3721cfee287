"""Public views of events. Reads only: staff see drafts, everyone else published events."""

from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.views.generic import DetailView, ListView

from .models import Event


@dataclass(frozen=True)
class RoundupDay:
    """One day of an event's programme: its number (1 for the first day) and its sessions."""

    number: int
    sessions: list


@dataclass(frozen=True)
class FilterOption:
    """A kind or a tag the visitor can narrow the programme to (``?kind=`` or ``?tag=``)."""

    value: str
    label: str
    count: int


def filter_options(sessions):
    """The kinds and the tags of ``sessions``, each with how many sessions have it."""
    kinds = Counter((s.kind, s.get_kind_display()) for s in sessions)
    tags = Counter((tag.slug, tag.name) for s in sessions for tag in s.tags.all())
    return (
        [FilterOption(value, label, count) for (value, label), count in sorted(kinds.items())],
        [FilterOption(slug, name, count) for (slug, name), count in sorted(tags.items())],
    )


def matches(session, *, kind, tag):
    """Whether a session has the kind and the tag asked for (an empty value matches all)."""
    if kind and session.kind != kind:
        return False
    return not tag or any(t.slug == tag for t in session.tags.all())


class EventListView(ListView):
    def get_queryset(self):
        # An aggregate query leaves Meta.ordering out (Django drops it with GROUP BY): restate it.
        return (
            Event.objects.visible_to(self.request.user)
            .with_counts()
            .order_by(*Event._meta.ordering)
        )


class EventDetailView(DetailView):
    """The roundup: facts, sponsors, then every session the visitor may see, day by day."""

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One list, fetched in a fixed number of queries; everything below is counted from it,
        # so the facts always agree with the programme (drafts included for staff).
        sessions = list(self.object.sessions.visible_to(self.request.user).for_roundup())
        # ?kind=panel and ?tag=kvm narrow the programme (the page's script does the same without
        # a reload); values the event does not use are ignored. Facts stay those of the event.
        kinds, tags = filter_options(sessions)
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in {option.value for option in kinds} else ""
        tag = self.request.GET.get("tag", "")
        tag = tag if tag in {option.value for option in tags} else ""
        shown = [session for session in sessions if matches(session, kind=kind, tag=tag)]
        context.update(
            kinds=kinds, tags=tags, active_kind=kind, active_tag=tag, shown_count=len(shown)
        )
        context["days"] = [
            RoundupDay(number, list(day_sessions))
            for number, day_sessions in groupby(shown, key=attrgetter("day"))
        ]
        context["session_count"] = len(sessions)
        context["speaker_count"] = len(
            {link.speaker_id for session in sessions for link in session.session_speakers.all()}
        )
        context["video_count"] = sum(1 for session in sessions if session.recordings.all())
        context["slides_count"] = sum(1 for session in sessions if session.slide_decks.all())
        return context
