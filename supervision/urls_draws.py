"""Random inspection draws (双随机一公开), for anyone: inputs, script, picks and results."""

from django.urls import path

from supervision import views

app_name = "draws"
urlpatterns = [
    path("inspections/draws/", views.public_draws, name="list"),
    path("inspections/draws/randomdraw.py", views.draw_script, name="script"),
    path("inspections/draws/<int:pk>/", views.public_draw, name="detail"),
    path("inspections/draws/<int:pk>/inputs.json", views.public_draw_inputs, name="inputs"),
]
