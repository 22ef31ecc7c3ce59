"""One module per document type; ALL lists them in the order the UI shows them."""
from .assignment_letter import ASSIGNMENT_LETTER
from .assistant_request import ASSISTANT_REQUEST
from .cooperation_rules import COOPERATION_RULES
from .family_consent import FAMILY_CONSENT
from .monthly_family_report import MONTHLY_FAMILY_REPORT
from .monthly_time_report import MONTHLY_TIME_REPORT
from .visit_record import VISIT_RECORD
from .work_plan import WORK_PLAN
from .zz_power_of_attorney import ZZ_POWER_OF_ATTORNEY

# In the order of the work: the request, the consent, the assignment, the rules at the first visit,
# then the month-by-month documents.
ALL = (ASSISTANT_REQUEST, FAMILY_CONSENT, ASSIGNMENT_LETTER, COOPERATION_RULES, WORK_PLAN, VISIT_RECORD,
      
       MONTHLY_FAMILY_REPORT, MONTHLY_TIME_REPORT, ZZ_POWER_OF_ATTORNEY)
