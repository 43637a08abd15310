from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "apps.people"
    label = "people"
    verbose_name = "People and departments"

    def ready(self) -> None:
        from apps.people import audit  # noqa: F401  (registers audited models)
