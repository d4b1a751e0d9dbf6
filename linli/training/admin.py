from django.contrib import admin

from linli.training.models import Course, CourseCategory, Lecturer, LodgingRoom, TrainingClass


@admin.register(CourseCategory)
class CourseCategoryAdmin(admin.ModelAdmin[CourseCategory]):
    list_display = ("name", "community", "order")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ("title", "category", "format", "duration_minutes", "fee")
    list_filter = ("format",)


@admin.register(Lecturer)
class LecturerAdmin(admin.ModelAdmin[Lecturer]):
    list_display = ("name", "kind", "affiliation")


@admin.register(LodgingRoom)
class LodgingRoomAdmin(admin.ModelAdmin[LodgingRoom]):
    list_display = ("number", "rate")


@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin[TrainingClass]):
    list_display = ("code", "name", "organisation", "starts_on", "trainee_count", "status")
    list_filter = ("status",)
    exclude = ("contact_phone_encrypted",)
