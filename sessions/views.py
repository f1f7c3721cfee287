"""Public views of sessions."""

from django.views.generic import DetailView

from .models import Session


class SessionDetailView(DetailView):
    def get_queryset(self):
        return (
            Session.objects.visible_to(self.request.user)
            .filter(event__slug=self.kwargs["event_slug"])
            .for_roundup()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_session"], context["next_session"] = self.neighbours()
        return context

    def neighbours(self):
        """The sessions before and after this one in the programme (``None`` at either end)."""
        programme = list(
            self.object.event.sessions.visible_to(self.request.user)
            .select_related("event")
            .only("title", "slug", "event__slug")
        )
        index = next(i for i, session in enumerate(programme) if session.pk == self.object.pk)
        previous = programme[index - 1] if index > 0 else None
        following = programme[index + 1] if index + 1 < len(programme) else None
        return previous, following
