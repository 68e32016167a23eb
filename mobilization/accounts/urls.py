from django.urls import path

from . import views

# Under /portal/ (names in the portal namespace); the middleware keeps these reachable while a
# session owes a second factor or a new password.
urlpatterns = [
    path("security/", views.security, name="security"),
    path("password/", views.PortalPasswordChangeView.as_view(), name="password"),
    path("otp/enrol/", views.otp_enrol, name="otp-enrol"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
]
