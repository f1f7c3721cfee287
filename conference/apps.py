from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = "Events and sponsors"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .caching import register_public_models
        from .markup import refresh_after_migrate

        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="stored-markdown")

        register_public_models(
            self.get_model("Event"), self.get_model("Sponsor"), self.get_model("Sponsorship")
        )
