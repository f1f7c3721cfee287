from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Events and sponsors"

    def ready(self):
        from .caching import connect_signals

        connect_signals()
