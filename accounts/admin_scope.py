"""The Django admin per organisation.

Superusers run the installation and see every organisation. An organisation's
administrator (role "admin", staff, not a superuser) sees the admin pages of
the models below, limited to their own organisation: the lists, the change
pages, the objects an action receives, and the choices of every related field,
so a posted id from another organisation is refused like any invalid choice.
What such an administrator may do with a model is its `organisation_may`.
Other staff without the superuser flag get nothing here.
"""

from django.contrib import admin
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


def organisation_admin(user) -> bool:
    return user.is_active and user.is_staff and not user.is_superuser and user.is_org_admin


class OrganisationScopedAdmin(admin.ModelAdmin):
    organisation_field = "organisation"
    organisation_may: frozenset[str] = frozenset({VIEW})

    def organisation_scope(self, request) -> Q:
        """The rows of the requesting administrator's organisation."""
        return Q(**{self.organisation_field: request.user.organisation_id})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if organisation_admin(request.user):
            return queryset.filter(self.organisation_scope(request))
        return queryset.none()

    def _organisation_may(self, request, what: str) -> bool:
        return organisation_admin(request.user) and what in self.organisation_may

    # Superusers keep Django's own answer; everyone else gets the organisation's.
    def has_module_permission(self, request):
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return self._organisation_may(request, VIEW)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._organisation_may(request, VIEW)

    def has_add_permission(self, request):
        if request.user.is_superuser:
            return super().has_add_permission(request)
        return self._organisation_may(request, ADD)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._organisation_may(request, CHANGE)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self._organisation_may(request, DELETE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._limited(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._limited(super().formfield_for_manytomany(db_field, request, **kwargs), request)

    def _limited(self, formfield, request):
        """Related choices from the administrator's own organisation only."""
        if formfield is None or request.user.is_superuser or not hasattr(formfield, "queryset"):
            return formfield
        related = self.admin_site._registry.get(formfield.queryset.model)
        if isinstance(related, OrganisationScopedAdmin):
            formfield.queryset = formfield.queryset.filter(related.organisation_scope(request))
        else:
            formfield.queryset = formfield.queryset.none()  # not offered to organisation administrators
        return formfield

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if organisation_admin(request.user) and self.organisation_field == "organisation":
            initial.setdefault("organisation", request.user.organisation_id)  # the only choice they have
        return initial

    def save_model(self, request, obj, form, change):
        if not change and organisation_admin(request.user) and self.organisation_field == "organisation":
            obj.organisation_id = request.user.organisation_id
        super().save_model(request, obj, form, change)


class OrganisationScopedInline:
    """An inline on a scoped admin page: organisation administrators may look, not edit."""

    def has_view_permission(self, request, obj=None):
        return organisation_admin(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
