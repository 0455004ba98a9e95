"""Every write of the learning app, by area: the ledger, the yearly rules, enrolment, online study, offline
sessions and external claims. Keyword-only, atomic, audited. Other apps and the views use the names re-exported
here (`from learning import services`)."""

from .claims import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES, external_claim_decide, external_claim_submit
from .common import LearningError
from .enrolment import enrolment_elect, enrolments_sync
from .ledger import credit_adjust, credit_ensure, credit_grant, credit_reverse
from .offline import (
    SIGN_IN_EARLY,
    SIGN_OUT_LATE,
    attendance_manual,
    attendance_scan,
    officer_invited,
    offline_session_create,
    qr_token,
    qr_token_valid,
    qr_window,
)
from .rules import hour_rule_set, rules_save, training_day_rule_set
from .study import StudyStart, study_check_answer, study_heartbeat, study_progress_payload, study_start, study_stop

__all__ = [
    "ALLOWED_ATTACHMENTS",
    "LearningError",
    "MAX_ATTACHMENT_BYTES",
    "SIGN_IN_EARLY",
    "SIGN_OUT_LATE",
    "StudyStart",
    "attendance_manual",
    "attendance_scan",
    "credit_adjust",
    "credit_ensure",
    "credit_grant",
    "credit_reverse",
    "enrolment_elect",
    "enrolments_sync",
    "external_claim_decide",
    "external_claim_submit",
    "hour_rule_set",
    "officer_invited",
    "offline_session_create",
    "qr_token",
    "qr_token_valid",
    "qr_window",
    "rules_save",
    "study_check_answer",
    "study_heartbeat",
    "study_progress_payload",
    "study_start",
    "study_stop",
    "training_day_rule_set",
]
