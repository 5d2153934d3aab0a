"""Reports land in the platform's report storage, apart from the instructor dashboard's reports.

Stand-in written from openedx/edx-platform, lms/djangoapps/instructor_task/models.py:
- `DjangoStorageReportStore.from_config(config_name)`: the storage of the setting `GRADES_DOWNLOAD`,
  built from its STORAGE_CLASS (the default storage's class when it names none) and STORAGE_KWARGS;
- `DjangoStorageReportStore.path_to(course_id, ...)` / `links_for(course_id)`: a course's reports are the
  files of the folder named after the SHA-1 of its id, at the storage's root, which the instructor
  dashboard lists.
And from overhangio/tutor, tutor/templates/apps/openedx/settings/partials/common_all.py (Tutor 21 and
22): `GRADES_DOWNLOAD = {"STORAGE_TYPE": "", "STORAGE_KWARGS": {"base_url": "/media/grades/",
"location": "/openedx/media/grades"}}`.

With no REPORT_STORAGE of the operator's, our reports go to that storage, in `coach-xblock/`: the
dashboard's list of the course's reports does not show them (they hold learners' texts, and the desk
serves them to the course's coaches).
"""
import hashlib

import pytest
from story import COURSE

from coach_xblock import conf, workflow

pytestmark = pytest.mark.django_db


def links_for(storage, course_id):
    """instructor_task/models.py, DjangoStorageReportStore.links_for: the files of the course's folder."""
    folder = hashlib.sha1(str(course_id).encode("utf-8")).hexdigest()
    try:
        _folders, files = storage.listdir(folder)
    except OSError:  # FileSystemStorage: no such folder
        return []
    return files


@pytest.fixture
def tutor_grades_download(settings, tmp_path):
    """Tutor's GRADES_DOWNLOAD, in a temporary folder, and no REPORT_STORAGE of the operator's."""
    settings.GRADES_DOWNLOAD = {"STORAGE_TYPE": "", "STORAGE_KWARGS": {
        "base_url": "/media/grades/", "location": str(tmp_path / "grades")}}
    settings.COACH_XBLOCK = {key: value for key, value in settings.COACH_XBLOCK.items() if key != "REPORT_STORAGE"}
    return tmp_path / "grades"


def test_reports_go_to_the_platforms_report_storage_apart_from_the_dashboards(tutor_grades_download, karim):
    made = workflow.make_report(workflow.request_report(COURSE, "requests", karim).pk)

    assert (tutor_grades_download / made.storage_name).is_file()
    assert made.storage_name.startswith("coach-xblock/")
    assert links_for(conf.report_storage(), COURSE) == []


def test_a_storage_class_named_by_the_platform_is_the_one_used(settings, tmp_path, tutor_grades_download):
    settings.GRADES_DOWNLOAD = {
        "STORAGE_CLASS": "django.core.files.storage.InMemoryStorage", "STORAGE_KWARGS": {"location": "reports"},
    }

    assert type(conf.report_storage()).__name__ == "InMemoryStorage"


def test_the_operators_report_storage_comes_first(settings, tmp_path, tutor_grades_download):
    settings.COACH_XBLOCK = {**settings.COACH_XBLOCK, "REPORT_STORAGE": {
        "STORAGE_CLASS": "django.core.files.storage.FileSystemStorage", "STORAGE_KWARGS": {"location": str(tmp_path)},
    }}

    assert conf.report_storage().location == str(tmp_path)
