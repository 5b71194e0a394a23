from .models import ReadAccess


def reads_of_own_data(office, user):
    """Who has opened the doctor's data in this office (the doctor's right of access)."""
    return ReadAccess.objects.filter(office=office, subject=user).select_related("reader")


def reads_for_office(office, *, trainee_id: int | None = None):
    reads = ReadAccess.objects.filter(office=office).select_related("reader")
    if trainee_id is not None:
        reads = reads.filter(trainee_id=trainee_id)
    return reads
