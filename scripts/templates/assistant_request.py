"""assistant_request: Wniosek o przydzielenie asystenta rodziny: the social worker's request, the
head's „Zatwierdzam”.

v2: the last section (consent, court order, referral) keeps with the social worker's signature, so
that it never stands on a page with nothing of the request above it; the head's part is headed
„Zatwierdzenie wniosku”, not „Decyzja kierownika ośrodka” (the head's title is the office's own,
printed under the signature, and an approval is no administrative decision)."""
from __future__ import annotations

from letter_kit import (BODY, CURRENT, data_table, heading, loop_rows, numbered, official_letter, para,
                        right_signature, title_block, unstretched_line_breaks)

# A Polish date ends in „r.”, which ends a sentence too: no date stands before a full stop.
AFTER_MEMBERS = ("{% if raw.family_consented %}W dniu {{ consent_date }} rodzina wyraziła pisemną zgodę na współpracę "
                 "z asystentem rodziny.{% else %}Rodzina nie wyraziła dotąd pisemnej zgody na współpracę "
                 "z asystentem rodziny.{% endif %}")
COURT = ("Postanowieniem z dnia {{ court_decision_date }}, sygn. akt {{ court_case_number }}, wydanym przez "
         "{{ court_name }}, rodzina została zobowiązana do współpracy z asystentem rodziny.")
# the institution's name as typed (nominative) after a colon, where it needs no inflection
REFERRAL = ("Rodzinę zgłosiła do objęcia wsparciem instytucja: {{ referral_institution }}"
            "{% if referral_date %}, pismem z dnia {{ referral_date }}{% endif %}"
            "{% if referral_number %} (znak: {{ referral_number }}){% endif %}"
            "{% if referral_number or not referral_date %}.{% endif %}")


def build_v1(v2: bool = False) -> object:
    """The request: addressed to the head, the family and its members, the social interview and the
    problems found, the justification, consent, court order and referral, the social worker's
    signature and the head's approval with its own signature place (`v2`: see the module's docstring)."""
    # dated by the request's own date (the deadlines read it), in the town of the office's date lines
    doc = official_letter("Wniosek o przydzielenie asystenta rodziny", "{{ place }}, dnia {{ request_date }}")
    addr = {"left": 9.0}
    para(doc, "{{ office.head_title }}", bold=True, before=18, **addr)
    para(doc, "w miejscu", **addr)
    unstretched_line_breaks(doc)  # the fields typed with newlines print in justified paragraphs
    title_block(doc)
    para(doc, "Na podstawie {{ legal_basis }} wnoszę o przydzielenie asystenta rodziny rodzinie zamieszkałej "
              "pod adresem: {{ street }}, {{ postal_code }} {{ town }}, w składzie:", first=1.0, keep_next=True,
         **BODY)
    tbl = data_table(doc, [1.0, 6.5, 4.0, 5.0], ["Lp.", "Imię i nazwisko", "PESEL albo data urodzenia",
                                                 "Rola w rodzinie"])
    loop_rows(tbl, "m in members", [
        ("{{ loop.index }}.", "center"), ("{{ m.full_name }}", "left"),
        ("{% if m.pesel %}{{ m.pesel }}{% elif m.birth_date %}ur. {{ m.birth_date }}{% else %}–{% endif %}", "center"),
        ("{{ m.role }}", "left")])

    heading(doc, "1. Wywiad środowiskowy i analiza sytuacji rodziny")
    para(doc, "W dniu {{ interview_date }} przeprowadzono w rodzinie wywiad środowiskowy. Z wywiadu i analizy "
              "sytuacji rodziny wynika, co następuje:", keep_next=True, **BODY)
    para(doc, "{{ interview_summary|multiline }}", **BODY)
    heading(doc, "2. Stwierdzone problemy w wypełnianiu funkcji opiekuńczo-wychowawczych")
    para(doc, "{%p for p in problems %}")
    numbered(doc, "{{ loop.index }})", "{{ p }}{% if loop.last %}.{% else %};{% endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if problems_details %}")
    para(doc, "{{ problems_details|multiline }}", before=3, **BODY)
    para(doc, "{%p endif %}")
    heading(doc, "3. Uzasadnienie")
    para(doc, "{{ justification|multiline }}", **BODY)
    heading(doc, "4. Zgoda rodziny, postanowienie sądu, zgłoszenie")
    para(doc, AFTER_MEMBERS, keep_next=v2, **BODY)
    para(doc, "{%p if raw.court_ordered %}")
    para(doc, COURT, keep_next=v2, **BODY)
    para(doc, "{%p endif %}")
    para(doc, "{%p if referral_institution %}")
    para(doc, REFERRAL, keep_next=v2, **BODY)
    para(doc, "{%p endif %}")
    para(doc, "Wniosek {{ social_worker|agree('sporządziła', 'sporządził') }}: {{ social_worker_name }}, "
              "pracownik socjalny.", before=6, keep_next=True, **BODY)
    right_signature(doc, "SIG:social_worker:0", [("{{ social_worker_name }}", {"bold": True, "size": 10}),
                                                 ("data i czytelny podpis pracownika socjalnego",
                                                  {"italic": True})], before=4)

    heading(doc, "Zatwierdzenie wniosku" if v2 else "Decyzja kierownika ośrodka", before=18)
    para(doc, "Zatwierdzam wniosek o przydzielenie rodzinie asystenta rodziny.", keep_next=True, **BODY)
    right_signature(doc, "SIG:head_approval:0", [("{{ office.head_name }}", {"bold": True, "size": 10}),
                                                 ("{{ office.head_title }}", {}),
                                                 ("data i podpis", {"italic": True})], before=4)
    return doc


def build_v2() -> object:
    """v1 with the last section kept with the signature and the head's part named by what it does."""
    return build_v1(v2=True)


BUILDERS = {"v1": (build_v1, CURRENT), "v2": (build_v2, CURRENT)}
