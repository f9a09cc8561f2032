"""Admin for every model, so support can see what a user logged (read mostly)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tracker import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin[models.User]):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "date_joined"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin[models.Profile]):
    list_display = ["user", "timezone", "weekly_target", "units"]
    search_fields = ["user__email"]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[models.ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__email", "name"]


@admin.register(models.Exercise)
class ExerciseAdmin(admin.ModelAdmin[models.Exercise]):
    list_display = ["name", "slug", "category", "unit", "per_side", "easier", "harder"]
    list_filter = ["category", "unit"]


class RoutineItemInline(admin.TabularInline[models.RoutineItem, models.Routine]):
    model = models.RoutineItem
    extra = 0


@admin.register(models.Routine)
class RoutineAdmin(admin.ModelAdmin[models.Routine]):
    list_display = ["name", "user", "starter", "created_at"]
    list_filter = ["starter"]
    inlines = [RoutineItemInline]


class SessionSetInline(admin.TabularInline[models.SessionSet, models.WorkoutSession]):
    model = models.SessionSet
    extra = 0


@admin.register(models.WorkoutSession)
class WorkoutSessionAdmin(admin.ModelAdmin[models.WorkoutSession]):
    list_display = ["user", "started_at", "routine", "pain_during", "pain_next_morning"]
    search_fields = ["user__email"]
    date_hierarchy = "started_at"
    inlines = [SessionSetInline]


@admin.register(models.CheckIn)
class CheckInAdmin(admin.ModelAdmin[models.CheckIn]):
    list_display = ["user", "date", "pain", "rest_day", "red_flags"]
    search_fields = ["user__email"]
    date_hierarchy = "date"


@admin.register(models.Reminder)
class ReminderAdmin(admin.ModelAdmin[models.Reminder]):
    list_display = ["user", "kind", "time", "weekdays", "channel", "enabled", "next_fire_at"]
    list_filter = ["kind", "channel", "enabled"]
    search_fields = ["user__email"]


@admin.register(models.Delivery)
class DeliveryAdmin(admin.ModelAdmin[models.Delivery]):
    list_display = ["reminder", "slot", "status", "attempts", "sent_at", "detail"]
    list_filter = ["status"]
    date_hierarchy = "slot"


@admin.register(models.PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin[models.PushSubscription]):
    list_display = ["user", "endpoint", "created_at", "last_success_at"]
    search_fields = ["user__email"]


@admin.register(models.Passkey)
class PasskeyAdmin(admin.ModelAdmin[models.Passkey]):
    """Support may remove a lost phone's passkey; nothing here can make or change one."""

    list_display = ["name", "user", "created_at", "last_used_at", "sign_count"]
    readonly_fields = ["credential_id", "public_key", "sign_count", "user_handle", "created_at",
                       "last_used_at"]  # fmt: skip
    search_fields = ["user__email", "name"]
