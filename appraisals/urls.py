from django.urls import URLPattern

app_name = "appraisals"

urlpatterns: list[URLPattern] = []
