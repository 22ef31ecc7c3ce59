"""One module per document type; ALL lists them in the order the UI shows them."""
from .assignment_letter import ASSIGNMENT_LETTER
from .family_consent import FAMILY_CONSENT
from .visit_record import VISIT_RECORD
from .work_plan import WORK_PLAN
from .zz_power_of_attorney import ZZ_POWER_OF_ATTORNEY

ALL = (FAMILY_CONSENT, ASSIGNMENT_LETTER, WORK_PLAN, ZZ_POWER_OF_ATTORNEY, VISIT_RECORD)
