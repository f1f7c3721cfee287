"""Public views of events. Reads only: staff see drafts, everyone else published events."""

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
        # so the facts always agree with the sessions shown (drafts included for staff).
        sessions = list(self.object.sessions.visible_to(self.request.user).for_roundup())
        context["days"] = [
            RoundupDay(number, list(day_sessions))
            for number, day_sessions in groupby(sessions, key=attrgetter("day"))
        ]
        context["session_count"] = len(sessions)
        context["speaker_count"] = len(
            {link.speaker_id for session in sessions for link in session.session_speakers.all()}
        )
        context["video_count"] = sum(1 for session in sessions if session.recordings.all())
        context["slides_count"] = sum(1 for session in sessions if session.slide_decks.all())
        return context
