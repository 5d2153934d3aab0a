"""The shared story's own promise: its "refused changes nothing" check sees every table, and can fail."""
import pytest
from django.apps import apps
from story import ask, refused, snapshot, unchanged
from workbench.models import XBlockState

from coach_xblock.domain import Conflict

pytestmark = pytest.mark.django_db


def test_the_snapshot_reads_every_model_of_the_app_and_the_workbenchs_block_fields():
    models = {model._meta.label for model in apps.get_app_config("coach_xblock").get_models()}
    assert {"coach_xblock.CheckinRequest", "coach_xblock.Delivery", "coach_xblock.DailyStats"} <= models
    assert set(snapshot()) == models | {"workbench.XBlockState"}


def test_unchanged_fails_when_the_call_writes_a_row(skills_point, mathilde):
    with pytest.raises(AssertionError, match="changed the database"), unchanged():
        ask(skills_point, mathilde)
    with pytest.raises(AssertionError, match="changed the database"), unchanged():
        XBlockState.objects.create(scope="usage", scope_id="a-block", user_id="mathilde", state="{}")


def test_refused_fails_when_the_refused_call_wrote_a_row_all_the_same(skills_point, mathilde):
    with pytest.raises(AssertionError, match="changed the database"), refused(Conflict):
        ask(skills_point, mathilde)
        raise Conflict("Refused, but after writing.")
