from django.urls import URLPattern

app_name = "deployment"

urlpatterns: list[URLPattern] = []
