from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models

from apps.core.admin_site import ReadOnlyTenantModelAdmin, TenantModelAdmin, tenant_admin_site
from apps.notifications import services
from apps.notifications.events import EVENT_TYPES
from apps.notifications.models import Notification, Webhook, WebhookDelivery


class NotificationAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "created_at",
        "event",
        "recipient",
        "subject",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["event", "status"]
    search_fields = ["subject", "dedup_key"]
    list_select_related = ["recipient"]


class WebhookAdmin(TenantModelAdmin):
    """Edits go through the services (URL and event checks, a server-made secret); the secret
    itself is never shown here — it is shown once by the API, at creation or rotation."""

    list_display = ["name", "url", "is_active", "event_types", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    fields = ["name", "url", "event_types", "is_active", "created_by", "created_at", "updated_at"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "event_types":  # picked from the events registry, not typed
            return forms.MultipleChoiceField(
                choices=[(name, f"{name} — {meaning}") for name, meaning in EVENT_TYPES.items()],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="Event types",
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    actions = ["rotate_secret", "send_test"]

    def get_deleted_objects(self, objs, request):
        # Deliveries are read-only here, yet go with their webhook (the service deletes both):
        # without this, Django refuses the deletion for want of permission on them.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj) -> None:
        services.webhook_delete(webhook_id=obj.pk)

    def delete_queryset(self, request, queryset) -> None:
        for webhook in queryset:
            services.webhook_delete(webhook_id=webhook.pk)

    @admin.action(description="Rotate the signing secret of selected webhooks")
    def rotate_secret(self, request, queryset) -> None:
        for webhook in queryset:
            rotated = services.webhook_rotate_secret(webhook_id=webhook.pk)
            self.message_user(
                request,
                f"{rotated}: new signing secret, shown only now: {rotated.secret}",
                messages.WARNING,
            )

    @admin.action(description="Send a test event to selected webhooks")
    def send_test(self, request, queryset) -> None:
        self.run_each(
            request,
            queryset,
            lambda webhook: services.webhook_test(webhook_id=webhook.pk),
            done="pinged",
        )

    def save_model(self, request, obj, form, change) -> None:
        values = {
            "name": obj.name,
            "url": obj.url,
            "event_types": obj.event_types,
            "is_active": obj.is_active,
        }
        if change:
            saved = services.webhook_update(webhook_id=obj.pk, **values)
        else:
            saved = services.webhook_create(**values, created_by=request.user)
            self.message_user(
                request,
                f"Webhook created. Its signing secret, shown only now: {saved.secret}",
                messages.WARNING,
            )
        obj.pk, obj.secret = saved.pk, saved.secret

    def get_form(self, request, obj=None, change=False, **kwargs):
        form: Any = super().get_form(request, obj, change, **kwargs)  # a class made per request

        class ServiceCheckedForm(form):
            def _post_clean(self) -> None:
                super()._post_clean()
                # Run the service's checks on the form, so a refusal is shown on its field.
                try:
                    services.check_webhook_fields(
                        name=self.instance.name,
                        url=self.instance.url,
                        event_types=self.instance.event_types,
                        exclude_id=self.instance.pk if obj else None,
                    )
                except ValidationError as exc:
                    self._update_errors(exc)

        return ServiceCheckedForm


class WebhookDeliveryAdmin(ReadOnlyTenantModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "delivered_at",
    ]
    list_filter = ["status", "event"]
    list_select_related = ["webhook"]
    search_fields = ["event", "last_error"]


tenant_admin_site.register(Notification, NotificationAdmin)
tenant_admin_site.register(Webhook, WebhookAdmin)
tenant_admin_site.register(WebhookDelivery, WebhookDeliveryAdmin)
