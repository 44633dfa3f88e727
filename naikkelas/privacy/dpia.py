"""Data protection impact assessments (UU 27/2022 Pasal 34): one for each feature that matches data sets or
scores people, kept with the code it assesses. The test (tests/privacy/test_dpia.py) holds them to the code:
every scoring or matching module has one, and every field an assessment names exists, so a change of what a
feature reads fails until its assessment is changed with it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Assessment:
    code: str
    feature: str
    module: str  # the code assessed (a dotted module path)
    purpose: str
    data: tuple[str, ...]  # "app_label.Model.field" it reads about people
    risks: str
    safeguards: str


ASSESSMENTS = [
    Assessment(
        "duplicates", _("Duplicate search and merge"), "naikkelas.intake.dedupe",
        _("Find records that are one business or one person, so that counts are true and no one is helped twice."),
        ("registry.Person.name", "registry.Person.nik_hash", "registry.Person.phone", "registry.Person.birth_date",
         "registry.Business.name", "registry.Business.village", "registry.Business.address"),
        _("Two people wrongly merged (a household sharing a phone): one loses their record or aid history."),
        _("Splink proposes, an officer decides each merge; merges are undone whole; NIKs are compared by keyed "
          "hash only; a household's businesses sharing a phone and village are kept apart unless names agree."),
    ),
    Assessment(
        "scorecard", _("Modernisation scorecard"), "naikkelas.lifecycle.scoring",
        _("Place a business on the funnel (operating, modern) from an officer's visit."),
        ("lifecycle.Assessment.business", "lifecycle.Assessment.assessed_on", "lifecycle.Answer.question",
         "lifecycle.Answer.option"),
        _("A low score closes doors (programmes that ask for a level) without the owner knowing why."),
        _("The owner sees each answer and the level; scores come from an officer's visit, never from a model; "
          "the owner may object to a decision taken by scoring (privacy request 'objection')."),
    ),
    Assessment(
        "training_impact", _("Training impact estimate"), "naikkelas.training.impact",
        _("Measure whether training helps businesses move up, for the office's plan and the DPRD."),
        ("training.Registration.person", "training.Registration.business", "training.Certificate.registration",
         "lifecycle.Assessment.business"),
        _("Participants compared with non-participants: a person could be singled out in a small group."),
        _("Only aggregates are shown, and none for groups under the minimum size; no decision about a person is "
          "taken from it."),
    ),
    Assessment(
        "financing", _("Capital aid eligibility and ranking"), "naikkelas.financing.rules",
        _("Decide who may receive a programme's money and in which order, by published rules."),
        ("lifecycle.Assessment.business", "training.Certificate.registration", "registry.LegalDocument.kind",
         "financing.Application.business"),
        _("A wrong fact (an old level, a missing certificate) ranks an applicant too low or refuses them."),
        _("Each refusal gives its reasons with the values used; an officer verifies before a decision; the "
          "applicant may object; the rules are the programme's, shown to everyone."),
    ),
    Assessment(
        "opportunity_matching", _("Supplier matching for buyers' demand"), "naikkelas.opportunities.matching",
        _("Rank the area's businesses and cooperatives for a buyer's demand, so that the office invites them."),
        ("registry.Business.kbli", "registry.Business.status", "catalog.Product.name",
         "opportunities.Readiness.npwp", "lifecycle.Assessment.business"),
        _("A business never invited because its data is thin; a buyer learning more than the offer says."),
        _("The office sees the ranking with its reasons and invites; a buyer sees only what a business sends in "
          "its offer; businesses can complete their readiness profile."),
    ),
]  # fmt: skip
