"""One module per document type; ALL lists them in the order the UI shows them."""
from .assignment_letter import ASSIGNMENT_LETTER
from .family_consent import FAMILY_CONSENT
from .final_report import FINAL_REPORT
from .monitoring_note import MONITORING_NOTE
from .periodic_assessment import PERIODIC_ASSESSMENT
from .resignation import RESIGNATION
from .visit_record import VISIT_RECORD
from .zz_power_of_attorney import ZZ_POWER_OF_ATTORNEY

ALL = (FAMILY_CONSENT, ASSIGNMENT_LETTER, ZZ_POWER_OF_ATTORNEY, VISIT_RECORD, PERIODIC_ASSESSMENT, RESIGNATION,
       FINAL_REPORT, MONITORING_NOTE)
