"""The pure mapping from a SumSub applicant to what kycrail imports, checked by our own rules."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kycrail.customers.model import Address, DocumentType, TaxIdentification
from kycrail.sumsub.applicant import Applicant, ImageResources, StepStatus
from kycrail.sumsub.emulator.donors import seeded_donors
from kycrail.sumsub.mapping import imported_kyc, provider_images, steps_for, steps_to_retake


def donor(external_user_id: str) -> tuple[Applicant, dict[str, StepStatus | None]]:
    for applicant, steps in seeded_donors():
        if applicant["externalUserId"] == external_user_id:
            parsed_steps = {
                name: StepStatus.model_validate(step) if step else None for name, step in steps.items()
            }
            return Applicant.model_validate(applicant), parsed_steps
    raise LookupError(external_user_id)


def applicant(**fields: Any) -> Applicant:
    base: dict[str, Any] = {
        "id": "5b594ade0a975a36c9349e66",
        "review": {"reviewStatus": "completed", "reviewResult": {"reviewAnswer": "GREEN"}},
    }
    return Applicant.model_validate({**base, **fields})


def test_a_complete_applicant_maps_every_fact() -> None:
    imported = imported_kyc(*donor("sandbox-approved"))
    assert imported.approved
    assert imported.rejection_reason is None
    assert imported.identity == {
        "first_name": "Emily",
        "middle_name": "Rose",
        "last_name": "Carter",
        "date_of_birth": date(1990, 4, 12),
        "nationality": "USA",
        "country_of_birth": "USA",
        "residency_country": "USA",
        "tax": TaxIdentification(number="536-22-1234", type="ssn", country="USA"),
    }
    assert imported.address == Address(
        line1="1 Market Street",
        line2="Apt 4B",
        city="San Francisco",
        state="CA",
        postal_code="94105",
        country="USA",
    )
    assert (imported.email, imported.phone) == ("emily.carter@example.com", "+14155550100")
    assert [document.type for document in imported.documents] == [
        DocumentType.passport,
        DocumentType.liveness_report,
    ]


def test_reusable_kyc_without_address_or_tin_leaves_them_out() -> None:
    imported = imported_kyc(*donor("sandbox-partial"))
    assert imported.approved
    assert imported.address is None
    assert "tax" not in imported.identity
    assert imported.phone is None
    assert imported.identity["first_name"] == "Daniel"
    assert [document.type for document in imported.documents] == [
        DocumentType.id_card,
        DocumentType.liveness_report,
    ]


@pytest.mark.parametrize(
    ("external_user_id", "says"),
    [
        (
            "sandbox-rejected-final",
            "rejected finally (FORGERY, SELFIE_MISMATCH): We could not verify your identity.",
        ),
        ("sandbox-rejected-retry", "rejected with a request to retry (UNSATISFACTORY_PHOTOS)"),
        ("sandbox-pending", "not completed (review status: pending)"),
    ],
)
def test_an_applicant_not_approved_says_why(external_user_id: str, says: str) -> None:
    imported = imported_kyc(*donor(external_user_id))
    assert not imported.approved
    assert imported.rejection_reason is not None
    assert says in imported.rejection_reason
    # The client comment is never shown.
    assert "tampering" not in imported.rejection_reason


def test_the_same_document_gets_the_same_reference_on_every_import() -> None:
    first = imported_kyc(*donor("sandbox-approved")).documents
    second = imported_kyc(*donor("sandbox-approved")).documents
    other = imported_kyc(*donor("sandbox-partial")).documents
    assert [d.reference for d in first] == [d.reference for d in second]
    assert first[0].reference != other[0].reference


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ({"country": "USA", "state": "CA", "town": "SF", "postCode": "94105", "street": "1 Main"}, True),
        ({"country": "USA", "state": "CA", "town": "SF", "postCode": "9410", "street": "1 Main"}, False),
        ({"country": "USA", "state": "ZZ", "town": "SF", "postCode": "94105", "street": "1 Main"}, False),
        ({"country": "DEU", "town": "Berlin", "postCode": "10115", "street": "Unter den Linden 1"}, True),
        ({"country": "XXX", "town": "Nowhere", "street": "1 Main"}, False),
        ({"country": "DEU", "street": "Unter den Linden 1"}, False),
    ],
)
def test_an_address_failing_our_rules_is_not_imported(address: dict[str, str], kept: bool) -> None:
    imported = imported_kyc(applicant(info={"addresses": [address]}), {})
    assert (imported.address is not None) is kept


def test_a_foreign_tin_is_kept_as_other_with_a_description_and_a_bad_ssn_is_dropped() -> None:
    foreign = imported_kyc(applicant(info={"tin": "12345678901", "country": "DEU"}), {})
    tax = foreign.identity["tax"]
    assert (tax.number, tax.type, tax.country) == ("12345678901", "other", "DEU")
    assert tax.description
    bad_ssn = imported_kyc(applicant(info={"tin": "000-00-0000", "country": "USA"}), {})
    assert "tax" not in bad_ssn.identity


def test_names_prefer_the_applicants_spelling_of_the_same_name() -> None:
    imported = imported_kyc(
        applicant(
            info={"firstName": "JOSÉ", "lastName": "NUÑEZ"},
            fixedInfo={"firstName": "José", "lastName": "Nunez"},
        ),
        {},
    )
    assert (imported.identity["first_name"], imported.identity["last_name"]) == ("José", "Nunez")
    different = imported_kyc(applicant(info={"firstName": "JOHN"}, fixedInfo={"firstName": "Jack"}), {})
    assert different.identity["first_name"] == "JOHN"  # the document wins when they disagree


def test_invalid_contact_details_and_dates_are_left_out() -> None:
    imported = imported_kyc(applicant(email="not-an-email", phone="12345", info={"dob": "1990-02-30"}), {})
    assert imported.email is None
    assert imported.phone is None
    assert "date_of_birth" not in imported.identity
    assert imported.unreadable == {"date_of_birth"}  # a person field: the import will say so


def test_steps_that_are_not_green_bring_no_document() -> None:
    steps = {
        "IDENTITY": StepStatus.model_validate(
            {"idDocType": "PASSPORT", "reviewResult": {"reviewAnswer": "RED"}}
        ),
        "SELFIE": None,
    }
    assert imported_kyc(applicant(), steps).documents == ()


# --- text a client could not send either ---------------------------------------------------------


UNREADABLE_NAMES = [
    "Em\x00ily",
    "Emily\ud800",
    "Em\x85ily",
    "Em\tily",
    "\u202eEmily",
    "Mallory\u200f",  # a right-to-left mark
    "J\u0336a\u0336n\u0336e\u0336",  # strikethrough
    "J\u0300\u0301\u0302a\u0303\u0304ne",  # stacked marks
]


@pytest.mark.parametrize("bad", UNREADABLE_NAMES)
def test_a_name_holding_what_a_client_could_not_send_is_unreadable_not_absent(bad: str) -> None:
    alone = imported_kyc(applicant(info={"firstName": bad, "lastName": "Carter"}), {})
    assert "first_name" not in alone.identity
    assert alone.identity["last_name"] == "Carter"
    assert alone.unreadable == {"first_name"}
    # The document's reading wins: the person's own spelling does not stand in for it.
    other = imported_kyc(applicant(info={"firstName": bad}, fixedInfo={"firstName": "Emily"}), {})
    assert "first_name" not in other.identity
    assert other.unreadable == {"first_name"}


@pytest.mark.parametrize("bad", UNREADABLE_NAMES)
def test_fixed_info_counts_only_where_the_document_has_no_value(bad: str) -> None:
    # info lacks the name: fixedInfo's is read, and unreadable if it breaks the rules.
    lacking = imported_kyc(applicant(info={"lastName": "Carter"}, fixedInfo={"middleName": bad}), {})
    assert lacking.unreadable == {"middle_name"}
    blank = imported_kyc(applicant(info={"middleName": "  "}, fixedInfo={"middleName": bad}), {})
    assert blank.unreadable == {"middle_name"}
    # info holds a readable name: fixedInfo's unreadable one is not used, so it does not count.
    read = imported_kyc(applicant(info={"middleName": "Rose"}, fixedInfo={"middleName": bad}), {})
    assert read.identity["middle_name"] == "Rose"
    assert read.unreadable == frozenset()


def test_a_field_sumsub_did_not_send_is_absent_not_unreadable() -> None:
    imported = imported_kyc(
        applicant(info={"firstName": "Emily", "dob": ""}, fixedInfo={"lastName": " "}), {}
    )
    assert imported.identity == {"first_name": "Emily"}
    assert imported.unreadable == frozenset()


@pytest.mark.parametrize("dob", ["1990-02-30", "12/04/1990", "1990-04-12\x00", "soon"])
def test_a_date_of_birth_that_does_not_parse_is_unreadable(dob: str) -> None:
    extracted = imported_kyc(applicant(info={"dob": dob}, fixedInfo={"dob": "1990-04-12"}), {})
    assert "date_of_birth" not in extracted.identity
    assert extracted.unreadable == {"date_of_birth"}
    provided = imported_kyc(applicant(fixedInfo={"dob": dob}), {})
    assert provided.unreadable == {"date_of_birth"}
    # A readable one in info: fixedInfo's is not used.
    read = imported_kyc(applicant(info={"dob": "1990-04-12"}, fixedInfo={"dob": dob}), {})
    assert read.identity["date_of_birth"] == date(1990, 4, 12)
    assert read.unreadable == frozenset()


def test_a_fullwidth_name_is_readable_and_kept_as_sumsub_wrote_it() -> None:
    fullwidth = "\uff2a\uff41\uff4e\uff45"  # "Jane" in fullwidth letters
    imported = imported_kyc(applicant(info={"firstName": fullwidth}), {})
    assert imported.identity["first_name"] == fullwidth
    assert imported.unreadable == frozenset()


def test_the_provider_is_named_for_messages() -> None:
    assert imported_kyc(applicant(), {}).provider_label == "SumSub"


def test_imported_names_are_composed() -> None:
    imported = imported_kyc(
        applicant(
            info={"firstName": "JOSE\u0301", "lastName": "Nun\u0303ez"}, fixedInfo={"firstName": "Jose\u0301"}
        ),
        {},
    )
    assert (imported.identity["first_name"], imported.identity["last_name"]) == ("José", "Nuñez")


def test_other_text_holding_control_characters_or_surrogates_is_left_out() -> None:
    address = {"country": "DEU", "town": "Berlin", "postCode": "10115", "street": "Unter den\x00 Linden 1"}
    imported = imported_kyc(
        applicant(
            email="emily\ud800@example.com",
            info={"addresses": [address], "tin": "123\x00456", "country": "DEU"},
            review={
                "reviewStatus": "completed",
                "reviewResult": {"reviewAnswer": "GREEN"},
                "levelName": "basic\x00-kyc-level",
            },
        ),
        {
            "IDENTITY": StepStatus.model_validate(
                {"idDocType": "PASSPORT", "reviewResult": {"reviewAnswer": "GREEN"}}
            )
        },
    )
    assert imported.approved
    assert imported.address is None
    assert imported.email is None
    assert "tax" not in imported.identity
    assert imported.level_name is None
    assert imported.unreadable == frozenset()  # only the fields that say who the person is count


def test_a_document_number_that_cannot_be_stored_is_not_part_of_its_reference() -> None:
    steps = {
        "IDENTITY": StepStatus.model_validate(
            {"idDocType": "PASSPORT", "reviewResult": {"reviewAnswer": "GREEN"}}
        )
    }
    imported = imported_kyc(
        applicant(info={"idDocs": [{"idDocType": "PASSPORT", "country": "US\x00A", "number": "X\ud8001"}]}),
        steps,
    )
    [document] = imported.documents
    assert document.reference == "sumsub:identity:PASSPORT:-:5b594ade0a975a36c9349e66"
    document.reference.encode()  # storable: the reference is hashed as UTF-8


def test_a_tin_whose_country_sumsub_does_not_say_is_kept_for_the_customers_residence() -> None:
    """SumSub's applicant has no country of its own for ``tin``: it belongs to where the person lives.
    Without ``country`` or an address, SumSub's data cannot place it, and the import hands it over
    for the customer's own residence to place (``domain``) rather than dropping it."""
    unplaced = imported_kyc(applicant(info={"tin": " 12345678901 "}), {})
    assert "tax" not in unplaced.identity
    assert unplaced.tin_without_residence == "12345678901"
    typed = imported_kyc(applicant(fixedInfo={"tin": "536-22-1234"}), {})  # what the person typed in
    assert typed.tin_without_residence == "536-22-1234"
    for placed in (
        applicant(info={"tin": "12345678901", "country": "DEU"}),
        applicant(info={"tin": "12345678901"}, fixedInfo={"country": "DEU"}),
        applicant(
            info={"tin": "12345678901", "addresses": [{"country": "DEU", "town": "Berlin", "street": "A 1"}]}
        ),
    ):
        imported = imported_kyc(placed, {})
        assert (imported.identity["tax"].country, imported.tin_without_residence) == ("DEU", None)


def test_a_country_sumsub_writes_otherwise_falls_back_to_what_the_person_typed() -> None:
    imported = imported_kyc(
        applicant(info={"tin": "12345678901", "country": "DE"}, fixedInfo={"country": "DEU"}), {}
    )
    assert imported.identity["residency_country"] == "DEU"
    assert imported.identity["tax"].country == "DEU"


def test_a_tin_longer_than_a_client_may_send_is_left_out() -> None:
    imported = imported_kyc(applicant(info={"tin": "1" * 65, "country": "DEU"}), {})
    assert "tax" not in imported.identity


# --- what a retake opens again: criteria to SumSub's steps -------------------------------------------


def test_each_document_criterion_has_its_step_and_a_business_document_none() -> None:
    assert steps_for(frozenset({"identity_document", "liveness_report_document"})) == {
        "IDENTITY": "identity_document",
        "SELFIE": "liveness_report_document",
    }
    # kycrail reads no company step back as a document: supplied again by upload, not through SumSub.
    assert steps_for(frozenset({"business_registration_document", "proof_of_address_document"})) == {}
    assert steps_for(frozenset({"email_address"})) == {}


@pytest.mark.parametrize(
    ("donor_name", "expected"),
    [
        ("sandbox-approved", {"IDENTITY": "identity_document", "SELFIE": "liveness_report_document"}),
        # SumSub asked for the document again itself (RED): its step takes a new one as it is.
        ("sandbox-rejected-retry", {"SELFIE": "liveness_report_document"}),
        ("sandbox-pending", {}),  # SumSub's review runs: it refuses a reset
    ],
)
def test_only_the_steps_sumsub_accepted_are_opened_again(donor_name: str, expected: dict[str, str]) -> None:
    wanted = steps_for(frozenset({"identity_document", "liveness_report_document"}))
    assert steps_to_retake(*donor(donor_name), wanted) == expected


def test_a_step_is_opened_again_only_when_asked_for() -> None:
    wanted = steps_for(frozenset({"liveness_report_document"}))
    assert steps_to_retake(*donor("sandbox-approved"), wanted) == {"SELFIE": "liveness_report_document"}
    on_hold = applicant(review={"reviewStatus": "onHold"})
    assert steps_to_retake(on_hold, donor("sandbox-approved")[1], wanted) == {}


def resources(*items: dict[str, Any]) -> ImageResources:
    return ImageResources.model_validate({"items": list(items), "totalItems": len(items)})


def image(image_id: Any, doc_type: str, *, country: str = "USA", **more: Any) -> dict[str, Any]:
    return {"id": image_id, "idDocDef": {"idDocType": doc_type, "country": country}, **more}


def test_the_images_kycrail_fetches_are_linked_to_the_documents_an_import_brought() -> None:
    person, steps = donor("sandbox-approved")
    person = person.model_copy(update={"inspectionId": "insp-1"})
    found = provider_images(
        person,
        resources(
            image(1520412218, "PASSPORT", fileMetadata={"fileSize": 48211}),  # SumSub's id, a number
            image("2", "SELFIE"),
            image("3", "PASSPORT", deactivated=True),  # set aside (a step taken again): not fetched
            image("4", "VIDEO_SELFIE"),  # not a document type kycrail keeps
            image("5", "UTILITY_BILL", country="not a country"),
        ),
    )
    assert [(i.reference, i.type, i.country, i.size_bytes, i.locator) for i in found] == [
        ("sumsub:image:1520412218", DocumentType.passport, "USA", 48211, "insp-1/1520412218"),
        ("sumsub:image:2", DocumentType.liveness_report, "USA", None, "insp-1/2"),
        ("sumsub:image:5", DocumentType.proof_of_address, None, None, "insp-1/5"),
    ]
    references = {document.reference for document in imported_kyc(person, steps).documents}
    assert {i.document_reference for i in found[:2]} == references  # each a page of an imported document
    assert found[2].document_reference is None


def test_without_an_inspection_id_nothing_can_be_fetched() -> None:
    person, _ = donor("sandbox-approved")
    assert (
        provider_images(person.model_copy(update={"inspectionId": None}), resources(image("1", "SELFIE")))
        == ()
    )
