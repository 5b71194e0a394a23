from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from confirmations import views as confirmation_views
from municipalities import views as municipality_views
from notifications import views as notification_views
from offices import views as office_views
from plans import progress_views
from plans import views as plan_views
from positions import views as position_views
from reports import views as report_views
from trainees import views as trainee_views

from . import views

# Pages of one office: /<office_slug>/… (OfficeScopeMiddleware scopes them).
office_patterns = [
    path("varsler/", notification_views.outbox_log, name="outbox_log"),
    path(
        "bekreftelser/<str:serial>.pdf",
        confirmation_views.download,
        name="confirmation_download",
    ),
    path("", office_views.dashboard, name="office_dashboard"),
    path("kommuner/<str:number>/", municipality_views.detail, name="municipality_detail"),
    path(
        "kommuner/<str:number>/profil/",
        municipality_views.profile_edit,
        name="municipality_profile",
    ),
    path("kommuner/<str:number>/kontakt/", municipality_views.contact_log, name="contact_log"),
    path(
        "kommuner/<str:number>/utdanningsplan/",
        municipality_views.plan_versions,
        name="education_plan_versions",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/endre/",
        municipality_views.plan_edit,
        name="education_plan_edit",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/<int:version>/",
        municipality_views.plan_version,
        name="education_plan_version",
    ),
    path(
        "kommuner/<str:number>/samarbeidsavtaler/ny/",
        municipality_views.agreement_create,
        name="cooperation_agreement_create",
    ),
    path(
        "kommuner/<str:number>/samarbeidsavtaler/<int:cooperation_id>/dokument/",
        municipality_views.agreement_document,
        name="cooperation_agreement_document",
    ),
    path(
        "registreringer/", municipality_views.unit_registration_list, name="unit_registration_list"
    ),
    path(
        "registreringer/<int:registration_id>/",
        municipality_views.unit_registration_detail,
        name="unit_registration_detail",
    ),
    path("invitasjoner/", account_views.invite, name="invite"),
    path("min-plan/", plan_views.my_plan, name="my_plan"),
    path("min-plan/krav/", plan_views.my_requirements, name="my_requirements"),
    path("framdrift/", progress_views.my_progress, name="my_progress"),
    path("framdrift/aktivitet/ny/", progress_views.activity_create, name="activity_create"),
    path("framdrift/maal/<int:goal_id>/", progress_views.my_goal, name="my_goal"),
    path("framdrift/eksport.csv", progress_views.export_csv, name="progress_export_csv"),
    path("framdrift/eksport.xlsx", progress_views.export_xlsx, name="progress_export_xlsx"),
    path("framdrift/bekreftelser/", progress_views.my_confirmations, name="my_confirmations"),
    path("framdrift/oversikt/", progress_views.overview, name="progress_overview"),
    path("signering/", progress_views.sign_queue, name="sign_queue"),
    path("signering/maal/<int:progress_id>/", progress_views.advise, name="goal_advise"),
    path("signering/lenke/<str:token>/", progress_views.digest_link, name="progress_digest_link"),
    path("godkjenning/", progress_views.approval_queue, name="approval_queue"),
    path("godkjenning/<int:progress_id>/", progress_views.approval_detail, name="approval_detail"),
    path(
        "leger/<int:trainee_id>/framdrift/",
        progress_views.trainee_progress,
        name="trainee_progress",
    ),
    path(
        "leger/<int:trainee_id>/bekreftelser/",
        progress_views.trainee_confirmations,
        name="trainee_confirmations",
    ),
    path(
        "bekreftelser/<int:confirmation_id>/status/",
        progress_views.confirmation_status,
        name="confirmation_status",
    ),
    path(
        "bekreftelser/<int:confirmation_id>/tilbakekall/",
        progress_views.confirmation_revoke,
        name="confirmation_revoke",
    ),
    path(
        "bekreftelser/<int:confirmation_id>/erstatt/",
        progress_views.confirmation_supersede,
        name="confirmation_supersede",
    ),
    path(
        "kommuner/<str:number>/bekreftelser/utsted-alle/",
        progress_views.confirmations_issue_all,
        name="confirmations_issue_all",
    ),
    path("min-plan/sammenlign/", plan_views.my_plan_compare, name="my_plan_compare"),
    path(
        "min-plan/<int:plan_version>/bekreft/",
        plan_views.my_plan_acknowledge,
        name="my_plan_acknowledge",
    ),
    path("leger/<int:trainee_id>/plan/", plan_views.plan_detail, name="plan_detail"),
    path(
        "leger/<int:trainee_id>/plan/ny-versjon/",
        plan_views.plan_version_new,
        name="plan_version_new",
    ),
    path(
        "leger/<int:trainee_id>/plan/sammenlign/",
        plan_views.plan_compare_view,
        name="plan_compare",
    ),
    path(
        "leger/<int:trainee_id>/plan/<int:plan_version>/",
        plan_views.plan_version_detail,
        name="plan_version_detail",
    ),
    path(
        "leger/<int:trainee_id>/plan/<int:plan_version>/godkjenn/",
        plan_views.plan_version_approve_view,
        name="plan_version_approve",
    ),
    path(
        "leger/<int:trainee_id>/veiledningslogg/",
        trainee_views.supervision_log,
        name="supervision_log",
    ),
    path(
        "leger/<int:trainee_id>/veiledningslogg/ny/",
        trainee_views.session_new,
        name="session_new",
    ),
    path("lege/veiledning/", trainee_views.my_supervision, name="my_supervision"),
    path(
        "veiledningsgrupper/<int:group_id>/moter/",
        trainee_views.group_meetings,
        name="group_meetings",
    ),
    path("veiledningsoversikt/", trainee_views.compliance_overview, name="compliance_overview"),
    path("laeringsmaal/", plan_views.catalogue_list, name="catalogue_list"),
    path("laeringsmaal/import/", plan_views.catalogue_import, name="catalogue_import"),
    path(
        "laeringsmaal/import/<str:token>/",
        plan_views.catalogue_import_preview,
        name="catalogue_import_preview",
    ),
    path("laeringsmaal/sammenlign/", plan_views.catalogue_compare, name="catalogue_compare"),
    path("laeringsmaal/<int:catalogue_id>/", plan_views.catalogue_detail, name="catalogue_detail"),
    path("veiledning/", trainee_views.supervisor_home, name="supervisor_home"),
    path("stillinger/", position_views.position_list, name="position_list"),
    path("stillinger/ny/", position_views.position_new, name="position_new"),
    path("stillinger/<int:position_id>/", position_views.position_detail, name="position_detail"),
    path("stillinger/<int:position_id>/endre/", position_views.position_edit, name="position_edit"),
    path(
        "stillinger/<int:position_id>/status/",
        position_views.position_status,
        name="position_status",
    ),
    path("legekontor/", position_views.medical_office_list, name="medical_office_list"),
    path(
        "legekontor/<int:medical_office_id>/endre/",
        position_views.medical_office_edit,
        name="medical_office_edit",
    ),
    path("oversikt/", position_views.overview, name="overview"),
    path("oversikt/eksport.xlsx", position_views.overview_export_xlsx, name="overview_export_xlsx"),
    path("oversikt/eksport.csv", position_views.overview_export_csv, name="overview_export_csv"),
    path("oversikt/regler/", position_views.rules_edit, name="position_rules"),
    path("oversikt/import/", position_views.overview_import, name="overview_import"),
    path(
        "oversikt/import/bekreft/",
        position_views.overview_import_confirm,
        name="overview_import_confirm",
    ),
    path("oversikt/status/", notification_views.status_survey, name="status_survey"),
    path(
        "oversikt/status/<int:survey_id>/<str:number>/",
        position_views.survey_answer,
        name="survey_answer",
    ),
    path("", include("agreements.urls")),
    path("leger/", trainee_views.trainee_list, name="trainee_list"),
    path("leger/ny/", trainee_views.trainee_create, name="trainee_create"),
    path("leger/tidligere/", trainee_views.former_trainees, name="former_trainees"),
    path("leger/<int:trainee_id>/", trainee_views.trainee_detail, name="trainee_detail"),
    path("leger/<int:trainee_id>/endre/", trainee_views.trainee_edit, name="trainee_edit"),
    path(
        "leger/<int:trainee_id>/overfor/", trainee_views.trainee_transfer, name="trainee_transfer"
    ),
    path("leger/<int:trainee_id>/perioder/ny/", trainee_views.period_create, name="period_create"),
    path(
        "leger/<int:trainee_id>/perioder/<int:period_id>/",
        trainee_views.period_edit,
        name="period_edit",
    ),
    path(
        "leger/<int:trainee_id>/perioder/<int:period_id>/slett/",
        trainee_views.period_delete,
        name="period_delete",
    ),
    path(
        "leger/<int:trainee_id>/veiledning/ny/",
        trainee_views.assignment_create,
        name="assignment_create",
    ),
    path(
        "leger/<int:trainee_id>/veiledning/<int:assignment_id>/avslutt/",
        trainee_views.assignment_end,
        name="assignment_end",
    ),
    path("lege/", trainee_views.my_record, name="my_record"),
    path("lege/kurs/", trainee_views.my_courses, name="my_courses"),
    path("leger/<int:trainee_id>/kurs/", trainee_views.trainee_courses, name="trainee_courses"),
    path("lege/kontakt/", trainee_views.my_contact, name="my_contact"),
    path("veilederpool/", trainee_views.pool_list, name="pool_list"),
    path("veilederpool/ny/", trainee_views.pool_create, name="pool_create"),
    path("veilederpool/<int:supervisor_id>/", trainee_views.pool_edit, name="pool_edit"),
    path("veilederpool/kapasitet/", trainee_views.capacity, name="capacity"),
    path("veiledningsgrupper/", trainee_views.group_list, name="group_list"),
    path("veiledningsgrupper/ny/", trainee_views.group_create, name="group_create"),
    path("veiledningsgrupper/<int:group_id>/", trainee_views.group_edit, name="group_edit"),
    path("rapporter/", report_views.report_list, name="report_list"),
    path("rapporter/ny/", report_views.report_create, name="report_create"),
    path("rapporter/nasjonal/", report_views.national_list, name="national_report_list"),
    path("rapporter/nasjonal/ny/", report_views.national_create, name="national_report_create"),
    path("rapporter/<int:report_id>/", report_views.report_detail, name="report_detail"),
    path(
        "rapporter/<int:report_id>/fremdrift/",
        report_views.report_progress,
        name="report_progress",
    ),
    path("rapporter/<int:report_id>/rapport.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("rapporter/<int:report_id>/rapport.pdf", report_views.report_pdf, name="report_pdf"),
]

urlpatterns = [
    path("", views.front, name="front"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("konto/", include("allauth.urls")),
    path("hjem/", account_views.home, name="home"),
    path("invitasjon/<str:token>/", account_views.invitation_accept_view, name="invitation_accept"),
    path("varslingsvalg/", notification_views.preferences, name="notification_preferences"),
    path("verify/", confirmation_views.verify_start, name="verify_start"),
    path("verify/<str:code>", confirmation_views.verify, name="verify"),
    path("registrering/", municipality_views.unit_registration, name="unit_registration"),
    path("<slug:office_slug>/", include(office_patterns)),
]

handler404 = "alis.errors.not_found"
handler403 = "alis.errors.forbidden"
