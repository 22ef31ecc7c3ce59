"""zz_power_of_attorney: Upoważnienie („Za życiem”) (v1, v2: slash forms; v3: agreeing wording).

v4: each signature stays with the text it signs (forms_templates/README.md): the authorisation's
last paragraph keeps with the principal's signature, the consent to the processing of health data
with its own; without that consent, the section saying so stands before the principal's signature
(v3 printed it after the last signature, unsigned, where a page break could leave it alone)."""
from __future__ import annotations

from letter_kit import (BODY, CURRENT, FIRST, TEXT_WIDTH, TYPESET, add_row, data_table, heading,  # noqa: F401
                        loop_rows, numbered, official_letter, para, right_signature, signature_slot, table,
                        tag_row, title_block)

HEALTH_HEADING = "Zgoda na przetwarzanie danych dotyczących zdrowia (art. 9 ust. 2 lit. a RODO)"
NO_HEALTH_CONSENT = "Osoba upoważniająca nie wyraziła zgody na przetwarzanie danych dotyczących zdrowia."


def build_v1() -> object:
    """Upoważnienie („Za życiem”, art. 8) with a separate explicit consent for health data."""
    doc = official_letter("Upoważnienie do występowania w imieniu osoby uprawnionej")
    title_block(doc, "{{ scope }}")
    para(doc, "Ja, niżej podpisana/y {{ principal_name }}, PESEL {{ principal_pesel }}, zamieszkała/y: {{ street }}, "
              "{{ postal_code }} {{ town }}{% if principal_phone %}, tel. {{ principal_phone }}{% endif %}, "
              "działając na podstawie {{ legal_basis }}, upoważniam asystenta rodziny {{ assistant_name }}, "
              "zatrudnionego przez {{ office.name }}, do występowania w moim imieniu "
              "{% if raw.scope == 'specific' %}w sprawie:{% else %}we wszystkich sprawach dotyczących uzyskania "
              "wsparcia dla mnie i mojej rodziny, objętych koordynacją prowadzoną przez asystenta rodziny, wobec "
              "następujących podmiotów:{% endif %}", after=4, align="justify")
    para(doc, "{%p if raw.scope == 'specific' %}")
    para(doc, "{{ matter|multiline }}", left=0.6, italic=True, after=4)  # left-aligned: its lines end in breaks
    para(doc, "wobec następujących podmiotów:", after=4, keep_next=True)
    para(doc, "{%p endif %}")
    tbl = data_table(doc, [1.0, 7.5, 8.0], ["Lp.", "Podmiot", "Adres"])
    loop_rows(tbl, "i in institutions", [("{{ loop.index }}.", "center"), ("{{ i.name }}", "left"),
                                         ("{% if i.address %}{{ i.address }}{% else %}–{% endif %}", "left")])
    para(doc, "Upoważnienie obejmuje następujące czynności:", before=6, after=3, keep_next=True)
    para(doc, "{%p for a in actions %}")
    numbered(doc, "{{ loop.index }})", "{{ a }}{% if loop.last %}.{% else %};{% endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "Upoważnienie jest ważne od dnia {{ valid_from }}{% if valid_until %} do dnia {{ valid_until }}"
              "{% else %} do odwołania.{% endif %}", before=4, **BODY)
    para(doc, "Upoważnienie może być w każdej chwili odwołane. Odwołanie wymaga formy pisemnej i jest skuteczne "
              "od chwili jego doręczenia asystentowi rodziny lub złożenia w ośrodku, który zatrudnia asystenta "
              "rodziny. Upoważnienie nie obejmuje prawa do udzielania dalszych upoważnień. Asystent rodziny jest "
              "obowiązany zachować w tajemnicy informacje uzyskane w związku z wykonywaniem upoważnienia.", **BODY)
    right_signature(doc, "SIG:principal:0", [("{{ principal_name }}", {"bold": True, "size": 10}),
                                             ("data i czytelny podpis osoby upoważniającej", {"italic": True})])

    heading(doc, "Zgoda na przetwarzanie danych dotyczących zdrowia (art. 9 ust. 2 lit. a RODO)", before=18)
    para(doc, "{%p if raw.get('health_data_consent') %}")  # optional boolean: tolerate its absence
    para(doc, "Wyrażam wyraźną zgodę na przetwarzanie przez {{ office.name }} oraz przekazywanie podmiotom "
              "wskazanym powyżej moich danych dotyczących zdrowia (oraz danych dotyczących zdrowia mojego dziecka) "
              "w zakresie niezbędnym do wykonania niniejszego upoważnienia, w szczególności do uzyskania dla mnie "
              "i mojej rodziny wsparcia, o którym mowa w art. 8 ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet "
              "w ciąży i rodzin „Za życiem”. Zgoda jest dobrowolna, a jej niewyrażenie nie wpływa na ważność "
              "upoważnienia w pozostałym zakresie. Zgodę mogę wycofać w każdej chwili, bez wpływu na zgodność "
              "z prawem przetwarzania, którego dokonano na podstawie zgody przed jej wycofaniem.", keep_next=True,
         **BODY)
    right_signature(doc, "SIG:principal_health_consent:0",
                    [("{{ principal_name }}", {"bold": True, "size": 10}),
                     ("data i czytelny podpis osoby wyrażającej zgodę", {"italic": True})], before=6)
    para(doc, "{%p else %}")
    para(doc, "Osoba upoważniająca nie wyraziła zgody na przetwarzanie danych dotyczących zdrowia.", **BODY)
    para(doc, "{%p endif %}")
    return doc


def build_v3(v4: bool = False) -> object:
    """Upoważnienie (v3): the principal's words agree with her or him; the assistant's name in the
    accusative (`v4`: see the module's docstring)."""
    doc = official_letter("Upoważnienie do występowania w imieniu osoby uprawnionej")
    title_block(doc, "{{ scope }}")
    para(doc, "Ja, niżej {{ principal|agree('podpisana', 'podpisany') }} {{ principal_name }}, PESEL "
              "{{ principal_pesel }}, {{ principal|agree('zamieszkała', 'zamieszkały') }} pod adresem: {{ street }}, "
              "{{ postal_code }} {{ town }}{% if principal_phone %}, tel. {{ principal_phone }}{% endif %}, "
              "działając na podstawie {{ legal_basis }}, upoważniam {{ assistant|named('acc') }}, "
              "{{ assistant|agree('zatrudnioną', 'zatrudnionego') }} przez {{ office.name }} na stanowisku asystenta "
              "rodziny, do występowania w moim imieniu "
              "{% if raw.scope == 'specific' %}w sprawie:{% else %}we wszystkich sprawach dotyczących uzyskania "
              "wsparcia dla mnie i mojej rodziny, objętych koordynacją prowadzoną przez asystenta rodziny, wobec "
              "następujących podmiotów:{% endif %}", after=4, align="justify")
    para(doc, "{%p if raw.scope == 'specific' %}")
    para(doc, "{{ matter|multiline }}", left=0.6, italic=True, after=4)  # left-aligned: its lines end in breaks
    para(doc, "wobec następujących podmiotów:", after=4, keep_next=True)
    para(doc, "{%p endif %}")
    tbl = data_table(doc, [1.0, 7.5, 8.0], ["Lp.", "Podmiot", "Adres"])
    loop_rows(tbl, "i in institutions", [("{{ loop.index }}.", "center"), ("{{ i.name }}", "left"),
                                         ("{% if i.address %}{{ i.address }}{% else %}–{% endif %}", "left")])
    para(doc, "Upoważnienie obejmuje następujące czynności:", before=6, after=3, keep_next=True)
    para(doc, "{%p for a in actions %}")
    numbered(doc, "{{ loop.index }})", "{{ a }}{% if loop.last %}.{% else %};{% endif %}")
    para(doc, "{%p endfor %}")
    # a date ends in „r.”, which ends the sentence too
    para(doc, "Upoważnienie jest ważne od dnia {{ valid_from }}{% if valid_until %} do dnia {{ valid_until }}"
              "{% else %} do odwołania.{% endif %}", before=4, **BODY)
    para(doc, "Upoważnienie może być w każdej chwili odwołane. Odwołanie wymaga formy pisemnej i jest skuteczne "
              "od chwili jego doręczenia asystentowi rodziny lub złożenia w ośrodku, który zatrudnia asystenta "
              "rodziny. Upoważnienie nie obejmuje prawa do udzielania dalszych upoważnień. Asystent rodziny jest "
              "obowiązany zachować w tajemnicy informacje uzyskane w związku z wykonywaniem upoważnienia.",
         keep_next=v4, **BODY)
    if v4:
        # without the consent, the note saying so comes before the principal's signature: nothing
        # unsigned follows the last signature
        para(doc, "{%p if not raw.get('health_data_consent') %}")  # optional boolean: tolerate its absence
        heading(doc, HEALTH_HEADING, before=18)
        para(doc, NO_HEALTH_CONSENT, keep_next=True, **BODY)
        para(doc, "{%p endif %}")
    right_signature(doc, "SIG:principal:0", [("{{ principal_name }}", {"bold": True, "size": 10}),
                                             ("data i czytelny podpis osoby upoważniającej", {"italic": True})])

    if v4:
        para(doc, "{%p if raw.get('health_data_consent') %}")
    heading(doc, HEALTH_HEADING, before=18)
    if not v4:
        para(doc, "{%p if raw.get('health_data_consent') %}")  # optional boolean: tolerate its absence
    para(doc, "Wyrażam wyraźną zgodę na przetwarzanie przez {{ office.name }} oraz przekazywanie podmiotom "
              "wskazanym powyżej moich danych dotyczących zdrowia (oraz danych dotyczących zdrowia mojego dziecka) "
              "w zakresie niezbędnym do wykonania niniejszego upoważnienia, w szczególności do uzyskania dla mnie "
              "i mojej rodziny wsparcia, o którym mowa w art. 8 ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet "
              "w ciąży i rodzin „Za życiem”. Zgoda jest dobrowolna, a jej niewyrażenie nie wpływa na ważność "
              "upoważnienia w pozostałym zakresie. Zgodę mogę wycofać w każdej chwili, bez wpływu na zgodność "
              "z prawem przetwarzania, którego dokonano na podstawie zgody przed jej wycofaniem.", keep_next=True,
         **BODY)
    right_signature(doc, "SIG:principal_health_consent:0",
                    [("{{ principal_name }}", {"bold": True, "size": 10}),
                     ("data i czytelny podpis osoby wyrażającej zgodę", {"italic": True})], before=6)
    if not v4:
        para(doc, "{%p else %}")
        para(doc, NO_HEALTH_CONSENT, **BODY)
    para(doc, "{%p endif %}")
    return doc


def build_v4() -> object:
    """v3 with each signature kept with the text it signs and nothing unsigned after the last one."""
    return build_v3(v4=True)


# v1 and v2 share a builder: v2 only typesets its wording
BUILDERS = {"v1": (build_v1, FIRST), "v2": (build_v1, TYPESET), "v3": (build_v3, CURRENT), "v4": (build_v4, CURRENT)}
