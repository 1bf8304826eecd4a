from django.urls import path

from agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
]
