""" Contains all the data models used in inputs/outputs """

from .actor_out import ActorOut
from .address_in import AddressIn
from .address_out import AddressOut
from .adjustment_out import AdjustmentOut
from .adjustment_out_factor import AdjustmentOutFactor
from .attempt_out import AttemptOut
from .body_upload_document_v2_document_post import BodyUploadDocumentV2DocumentPost
from .business_address_in import BusinessAddressIn
from .business_address_in_type import BusinessAddressInType
from .business_address_out import BusinessAddressOut
from .business_address_out_type import BusinessAddressOutType
from .business_information_in import BusinessInformationIn
from .business_information_out import BusinessInformationOut
from .country_code import CountryCode
from .create_customer_in_business import CreateCustomerInBusiness
from .create_customer_in_business_meta import CreateCustomerInBusinessMeta
from .create_customer_in_individual import CreateCustomerInIndividual
from .create_customer_in_individual_meta import CreateCustomerInIndividualMeta
from .criteria_out import CriteriaOut
from .criterion_error_out import CriterionErrorOut
from .customer_create_in_business import CustomerCreateInBusiness
from .customer_create_in_business_metadata import CustomerCreateInBusinessMetadata
from .customer_create_in_individual import CustomerCreateInIndividual
from .customer_create_in_individual_metadata import CustomerCreateInIndividualMetadata
from .customer_type import CustomerType
from .customer_update_in import CustomerUpdateIn
from .customer_update_in_metadata import CustomerUpdateInMetadata
from .customer_update_in_type import CustomerUpdateInType
from .delivery_out import DeliveryOut
from .delivery_out_state import DeliveryOutState
from .document_out import DocumentOut
from .document_out_source import DocumentOutSource
from .document_out_status import DocumentOutStatus
from .document_type import DocumentType
from .event_out import EventOut
from .event_out_changes_item import EventOutChangesItem
from .healthz_healthz_get_response_healthz_healthz_get import HealthzHealthzGetResponseHealthzHealthzGet
from .hit_out import HitOut
from .hit_out_status import HitOutStatus
from .import_in import ImportIn
from .kyc_link_out import KycLinkOut
from .pagination_out import PaginationOut
from .personal_information_in import PersonalInformationIn
from .personal_information_out import PersonalInformationOut
from .profile_status import ProfileStatus
from .reason_in import ReasonIn
from .requirement_error_out import RequirementErrorOut
from .requirements_out import RequirementsOut
from .residential_address_in import ResidentialAddressIn
from .residential_address_out import ResidentialAddressOut
from .resolution_in import ResolutionIn
from .resolution_in_resolution import ResolutionInResolution
from .review_in import ReviewIn
from .review_in_decision import ReviewInDecision
from .screening_out import ScreeningOut
from .sphere_customer_list_out import SphereCustomerListOut
from .sphere_customer_out import SphereCustomerOut
from .sphere_customer_out_meta import SphereCustomerOutMeta
from .sphere_delivery_list_out import SphereDeliveryListOut
from .sphere_document_list_out import SphereDocumentListOut
from .sphere_error_out import SphereErrorOut
from .sphere_event_list_out import SphereEventListOut
from .sphere_field_error_out import SphereFieldErrorOut
from .sphere_webhook_created_out import SphereWebhookCreatedOut
from .sphere_webhook_created_out_status import SphereWebhookCreatedOutStatus
from .sphere_webhook_event_out import SphereWebhookEventOut
from .sphere_webhook_in import SphereWebhookIn
from .sphere_webhook_in_events_item import SphereWebhookInEventsItem
from .sphere_webhook_list_out import SphereWebhookListOut
from .sphere_webhook_out import SphereWebhookOut
from .sphere_webhook_out_status import SphereWebhookOutStatus
from .swipelux_customer_list_out import SwipeluxCustomerListOut
from .swipelux_customer_out import SwipeluxCustomerOut
from .swipelux_customer_out_metadata import SwipeluxCustomerOutMetadata
from .swipelux_delivery_list_out import SwipeluxDeliveryListOut
from .swipelux_error_out import SwipeluxErrorOut
from .swipelux_event_list_out import SwipeluxEventListOut
from .swipelux_field_error_out import SwipeluxFieldErrorOut
from .swipelux_status import SwipeluxStatus
from .swipelux_webhook_created_out import SwipeluxWebhookCreatedOut
from .swipelux_webhook_created_out_status import SwipeluxWebhookCreatedOutStatus
from .swipelux_webhook_in import SwipeluxWebhookIn
from .swipelux_webhook_in_events_item import SwipeluxWebhookInEventsItem
from .swipelux_webhook_list_out import SwipeluxWebhookListOut
from .swipelux_webhook_out import SwipeluxWebhookOut
from .swipelux_webhook_out_status import SwipeluxWebhookOutStatus
from .token_out import TokenOut
from .token_out_how import TokenOutHow
from .update_customer_in import UpdateCustomerIn
from .update_customer_in_meta import UpdateCustomerInMeta
from .us_state_code import UsStateCode
from .verification_link_out import VerificationLinkOut
from .verification_profile_out import VerificationProfileOut
from .verification_profile_out_name import VerificationProfileOutName

__all__ = (
    "ActorOut",
    "AddressIn",
    "AddressOut",
    "AdjustmentOut",
    "AdjustmentOutFactor",
    "AttemptOut",
    "BodyUploadDocumentV2DocumentPost",
    "BusinessAddressIn",
    "BusinessAddressInType",
    "BusinessAddressOut",
    "BusinessAddressOutType",
    "BusinessInformationIn",
    "BusinessInformationOut",
    "CountryCode",
    "CreateCustomerInBusiness",
    "CreateCustomerInBusinessMeta",
    "CreateCustomerInIndividual",
    "CreateCustomerInIndividualMeta",
    "CriteriaOut",
    "CriterionErrorOut",
    "CustomerCreateInBusiness",
    "CustomerCreateInBusinessMetadata",
    "CustomerCreateInIndividual",
    "CustomerCreateInIndividualMetadata",
    "CustomerType",
    "CustomerUpdateIn",
    "CustomerUpdateInMetadata",
    "CustomerUpdateInType",
    "DeliveryOut",
    "DeliveryOutState",
    "DocumentOut",
    "DocumentOutSource",
    "DocumentOutStatus",
    "DocumentType",
    "EventOut",
    "EventOutChangesItem",
    "HealthzHealthzGetResponseHealthzHealthzGet",
    "HitOut",
    "HitOutStatus",
    "ImportIn",
    "KycLinkOut",
    "PaginationOut",
    "PersonalInformationIn",
    "PersonalInformationOut",
    "ProfileStatus",
    "ReasonIn",
    "RequirementErrorOut",
    "RequirementsOut",
    "ResidentialAddressIn",
    "ResidentialAddressOut",
    "ResolutionIn",
    "ResolutionInResolution",
    "ReviewIn",
    "ReviewInDecision",
    "ScreeningOut",
    "SphereCustomerListOut",
    "SphereCustomerOut",
    "SphereCustomerOutMeta",
    "SphereDeliveryListOut",
    "SphereDocumentListOut",
    "SphereErrorOut",
    "SphereEventListOut",
    "SphereFieldErrorOut",
    "SphereWebhookCreatedOut",
    "SphereWebhookCreatedOutStatus",
    "SphereWebhookEventOut",
    "SphereWebhookIn",
    "SphereWebhookInEventsItem",
    "SphereWebhookListOut",
    "SphereWebhookOut",
    "SphereWebhookOutStatus",
    "SwipeluxCustomerListOut",
    "SwipeluxCustomerOut",
    "SwipeluxCustomerOutMetadata",
    "SwipeluxDeliveryListOut",
    "SwipeluxErrorOut",
    "SwipeluxEventListOut",
    "SwipeluxFieldErrorOut",
    "SwipeluxStatus",
    "SwipeluxWebhookCreatedOut",
    "SwipeluxWebhookCreatedOutStatus",
    "SwipeluxWebhookIn",
    "SwipeluxWebhookInEventsItem",
    "SwipeluxWebhookListOut",
    "SwipeluxWebhookOut",
    "SwipeluxWebhookOutStatus",
    "TokenOut",
    "TokenOutHow",
    "UpdateCustomerIn",
    "UpdateCustomerInMeta",
    "UsStateCode",
    "VerificationLinkOut",
    "VerificationProfileOut",
    "VerificationProfileOutName",
)
