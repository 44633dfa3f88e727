"""The impact assessments are held to the code: each scoring or matching module has one, and the data each names
exists (a renamed or removed field fails here until its assessment is changed with the code)."""

import importlib

import pytest
from django.apps import apps

from naikkelas.privacy.dpia import ASSESSMENTS

SCORING_AND_MATCHING = {
    "naikkelas.intake.dedupe",
    "naikkelas.lifecycle.scoring",
    "naikkelas.training.impact",
    "naikkelas.financing.rules",
    "naikkelas.opportunities.matching",
}


def test_every_feature_that_scores_or_matches_people_has_an_assessment():
    assert {a.module for a in ASSESSMENTS} == SCORING_AND_MATCHING
    for a in ASSESSMENTS:
        importlib.import_module(a.module)
        assert a.purpose and a.risks and a.safeguards and a.data


@pytest.mark.parametrize("assessment", ASSESSMENTS, ids=lambda a: a.code)
def test_the_data_an_assessment_names_exists(assessment):
    for name in assessment.data:
        label, field = name.rsplit(".", 1)
        model = apps.get_model(label)
        assert model._meta.get_field(field), name


@pytest.mark.django_db
def test_staff_read_them_and_others_do_not(personas, client):
    client.force_login(personas["petugas"])
    page = client.get("/privasi/dpia/").content.decode()
    assert all(f'id="dpia-{a.code}"' in page for a in ASSESSMENTS)
    client.force_login(personas["owner"])
    assert client.get("/privasi/dpia/").status_code == 403
