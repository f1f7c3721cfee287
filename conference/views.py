"""Public views of events: the list of events. Reads only: staff see drafts, everyone else
published events. An event's own page is its programme (``sessions.views.EventDetailView``)."""

from django.views.generic import ListView

from .models import Event


class EventListView(ListView):
    def get_queryset(self):
        # An aggregate query leaves Meta.ordering out (Django drops it with GROUP BY): restate it.
        return (
            Event.objects.visible_to(self.request.user)
            .with_counts()
            .order_by(*Event._meta.ordering)
        )
