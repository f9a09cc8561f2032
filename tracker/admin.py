"""Admin for every model, so support can see what a user logged (read mostly)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tracker import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
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
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "timezone", "weekly_target", "units"]
    search_fields = ["user__email"]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__email", "name"]


@admin.register(models.Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "category", "unit", "per_side", "easier", "harder"]
    list_filter = ["category", "unit"]


class RoutineItemInline(admin.TabularInline):
    model = models.RoutineItem
    extra = 0


@admin.register(models.Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "starter", "created_at"]
    list_filter = ["starter"]
    inlines = [RoutineItemInline]


class SessionSetInline(admin.TabularInline):
    model = models.SessionSet
    extra = 0


@admin.register(models.WorkoutSession)
class WorkoutSessionAdmin(admin.ModelAdmin):
    list_display = ["user", "started_at", "routine", "pain_during", "pain_next_morning"]
    search_fields = ["user__email"]
    date_hierarchy = "started_at"
    inlines = [SessionSetInline]


@admin.register(models.CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["user", "date", "pain", "rest_day", "red_flags"]
    search_fields = ["user__email"]
    date_hierarchy = "date"


@admin.register(models.Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "time", "weekdays", "channel", "enabled", "next_fire_at"]
    list_filter = ["kind", "channel", "enabled"]
    search_fields = ["user__email"]


@admin.register(models.Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["reminder", "slot", "status", "attempts", "sent_at", "detail"]
    list_filter = ["status"]
    date_hierarchy = "slot"


@admin.register(models.PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "endpoint", "created_at", "last_success_at"]
    search_fields = ["user__email"]
