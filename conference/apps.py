from django.apps import AppConfig


def event_of(row):
    """The events a row with an ``event`` shows on: that one."""
    return [row.event.slug]


def events_of_sponsor(sponsor):
    return list(sponsor.sponsorships.values_list("event__slug", flat=True))


def the_event(event):
    return [event.slug]


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Events and sponsors"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .caching import register_public_models
        from .markup import refresh_after_migrate

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="stored-markdown")

        register_public_models(self.get_model("Event"), scope=the_event, moves=True)
        register_public_models(self.get_model("Sponsor"), scope=events_of_sponsor)
        register_public_models(self.get_model("Sponsorship"), scope=event_of, moves=True)
