"""Office pages for agreements, templates and experience (under /<office_slug>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("avtaler/", views.agreement_list, name="agreement_list"),
    path("avtaler/ny/", views.agreement_create, name="agreement_create"),
    path("avtaler/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("avtaler/<int:agreement_id>/endre/", views.agreement_update, name="agreement_update"),
    path("avtaler/<int:agreement_id>/signer/", views.agreement_sign, name="agreement_sign"),
    path(
        "avtaler/<int:agreement_id>/endringsavtale/",
        views.agreement_amend,
        name="agreement_amend",
    ),
    path("avtaler/<int:agreement_id>/pdf/", views.agreement_pdf_view, name="agreement_pdf"),
    path(
        "avtaler/<int:agreement_id>/erfaring/",
        views.agreement_experience,
        name="agreement_experience",
    ),
    path("avtalemaler/", views.template_list, name="agreement_template_list"),
    path("avtalemaler/ny/", views.template_create, name="agreement_template_create"),
    path(
        "avtalemaler/<int:template_id>/",
        views.template_detail,
        name="agreement_template_detail",
    ),
    path("erfaringer/", views.experience_overview, name="experience_overview"),
]
