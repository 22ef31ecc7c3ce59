"""One module per document type; ALL lists them in the order the UI shows them."""
from .assignment_letter import ASSIGNMENT_LETTER
from .assistant_request import ASSISTANT_REQUEST
from .cooperation_rules import COOPERATION_RULES
from .family_consent import FAMILY_CONSENT
from .monthly_family_report import MONTHLY_FAMILY_REPORT
from .monthly_time_report import MONTHLY_TIME_REPORT
from .final_report import FINAL_REPORT
from .monitoring_note import MONITORING_NOTE
from .periodic_assessment import PERIODIC_ASSESSMENT
from .resignation import RESIGNATION
from .visit_record import VISIT_RECORD
from .work_plan import WORK_PLAN
from .zz_power_of_attorney import ZZ_POWER_OF_ATTORNEY

# In the order of the work: the request, the consent, the assignment, the rules at the first visit,
# the plan and the visits, the month's reports, the assessment, the end and the monitoring.
ALL = (ASSISTANT_REQUEST, FAMILY_CONSENT, ASSIGNMENT_LETTER, COOPERATION_RULES, WORK_PLAN, VISIT_RECORD,
       MONTHLY_FAMILY_REPORT, MONTHLY_TIME_REPORT, PERIODIC_ASSESSMENT, RESIGNATION, FINAL_REPORT, MONITORING_NOTE,
       ZZ_POWER_OF_ATTORNEY)
