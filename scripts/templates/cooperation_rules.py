"""Zasady współpracy asystenta rodziny z rodziną (v1): the contract agreed at the first visit."""
from __future__ import annotations

from service.documents.catalog.cooperation_rules import REPORT_CHANGES_DAYS

FAMILY = "family"  # the grammar.Persons of the family members who agree to the rules
ENDINGS = [
    "osiągnięcia celów określonych w planie pracy z rodziną",
    "rezygnacji rodziny ze wsparcia asystenta rodziny – rodzina może zrezygnować w każdej chwili, składając "
    "pisemne oświadczenie w ośrodku lub przekazując je asystentowi rodziny",
    "braku współpracy rodziny z asystentem rodziny",
    "zmiany miejsca zamieszkania rodziny poza teren gminy",
    "postanowienia sądu lub innej zmiany sytuacji rodziny, po której wsparcie asystenta rodziny nie jest już "
    "potrzebne",
]


def _list(k, doc, loop: str, value: str) -> None:
    """A numbered list of a group's rows, „1) …;” and the last ending with a full stop; the punctuation a
    row was typed with is dropped so that none is doubled."""
    k.para(doc, f"{{%p for d in {loop} %}}")
    k.numbered(doc, "{{ loop.index }})", f"{{{{ {value}|trim('.;, ') }}}}{{% if loop.last %}}.{{% else %}};{{% endif %}}")
    k.para(doc, "{%p endfor %}")


def build(k):
    """The parties, meetings (how often, where), the duties of the assistant and of the family, the duty
    to report changes, how cooperation ends, other arrangements, the family's statement and signatures."""
    doc = k.official_letter("Zasady współpracy asystenta rodziny z rodziną")
    k.title_block(doc)
    k.para(doc, "Zasady współpracy zostały ustalone w dniu {{ agreed_on }} między asystentem rodziny – "
                "{{ assistant|named('inst') }}, zatrudnionym przez {{ office.name }}, a rodziną zamieszkałą pod "
                "adresem: {{ street }}, {{ postal_code }} {{ town }}, reprezentowaną przez:", keep_next=True,
           **k.BODY)
    tbl = k.data_table(doc, [1.0, 9.0, 6.5], ["Lp.", "Imię i nazwisko", "Rola w rodzinie"])
    k.loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                      ("{{ p.role }}", "left")])
    k.para(doc, "Pracownikiem socjalnym prowadzącym sprawę rodziny jest {{ social_worker|named }}."
                "{% if raw.with_social_worker %} Zasady ustalono z udziałem pracownika socjalnego.{% endif %}",
           before=6, **k.BODY)
    k.para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem; zadania asystenta "
                "rodziny określa {{ legal_basis }}.", **k.BODY)

    k.heading(doc, "1. Spotkania")
    k.numbered(doc, "1)", "Asystent rodziny spotyka się z rodziną nie rzadziej niż raz na {{ meeting_every_days }} "
                          "dni, w terminach uzgadnianych wspólnie z rodziną.")
    k.numbered(doc, "2)", "Miejsca spotkań: {{ meeting_places|trim('.;, ') }}.")
    k.heading(doc, "2. Obowiązki asystenta rodziny")
    k.para(doc, "Asystent rodziny zobowiązuje się:", after=3, keep_next=True)
    _list(k, doc, "assistant_duties", "d.duty")
    k.heading(doc, "3. Obowiązki rodziny")
    k.para(doc, "Rodzina zobowiązuje się:", after=3, keep_next=True)
    _list(k, doc, "family_duties", "d.duty")
    k.heading(doc, "4. Zgłaszanie zmian w sytuacji rodziny")
    k.para(doc, "Rodzina informuje osobiście pracownika socjalnego o każdej zmianie swojej sytuacji, w szczególności "
                "finansowej, zawodowej, składu rodziny lub miejsca zamieszkania, w terminie "
                f"{REPORT_CHANGES_DAYS} dni od jej zaistnienia. Jeżeli rodzina nie poinformuje o zmianie w tym "
                "terminie, informuje o niej pracownika socjalnego asystent rodziny.", **k.BODY)
    k.heading(doc, "5. Zakończenie współpracy")
    k.para(doc, "Współpraca asystenta rodziny z rodziną kończy się w szczególności w przypadku:", after=3,
           keep_next=True)
    for i, text in enumerate(ENDINGS, 1):
        k.numbered(doc, f"{i})", text + ("." if i == len(ENDINGS) else ";"))
    k.para(doc, "Zakończenie współpracy jest dokumentowane na piśmie.", before=3, **k.BODY)
    k.para(doc, "{%p if raw.court_ordered %}")
    k.para(doc, "Rodzina została zobowiązana do współpracy z asystentem rodziny postanowieniem sądu. O niepodjęciu "
                "współpracy, braku współpracy lub jej zakończeniu ośrodek informuje sąd.", **k.BODY)
    k.para(doc, "{%p endif %}")
    k.para(doc, "{%p if other_arrangements %}")
    k.heading(doc, "6. Inne ustalenia")
    k.para(doc, "{{ other_arrangements|multiline }}", **k.BODY)
    k.para(doc, "{%p endif %}")

    k.para(doc, "{{ family|agree('Zapoznałam się z zasadami współpracy, akceptuję je i otrzymałam ich egzemplarz.', "
                "'Zapoznałem się z zasadami współpracy, akceptuję je i otrzymałem ich egzemplarz.', "
                "'Zapoznałyśmy się z zasadami współpracy, akceptujemy je i otrzymałyśmy ich egzemplarz.', "
                "'Zapoznaliśmy się z zasadami współpracy, akceptujemy je i otrzymaliśmy ich egzemplarz.') }}",
           before=10, keep_next=True, **k.BODY)
    k.heading(doc, "{{ family|agree_number('Podpis członka rodziny', 'Podpisy członków rodziny') }}", before=10)
    sig = k.table(doc, [7.5, k.TEXT_WIDTH - 15.0, 7.5], rows=0)
    k.tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = k.add_row(sig)
    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        k.signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            (f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10}),
            ("data i czytelny podpis", {"italic": True})], guard=guard)
        k.para(cell, "", after=8)
    k.tag_row(sig, "{%tr endfor %}")
    k.heading(doc, "Podpis asystenta rodziny", before=10)
    k.right_signature(doc, "SIG:assistant:0", [("{{ assistant_name }}", {"bold": True, "size": 10}),
                                               ("data i czytelny podpis asystenta rodziny", {"italic": True})],
                      before=2)
    return doc
