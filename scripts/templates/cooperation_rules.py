"""cooperation_rules: Zasady współpracy asystenta rodziny z rodziną: the contract agreed at the first
visit.

v2: the family's statement, the family's signatures and the assistant's stay on one page (the rows
of the family's signatures kept together and with the assistant's part after them), so that no
signature is left on a page without the statement it confirms; a family member's role under the
name on a line of its own (no „Piotr Kowalski (syn (pełnoletni))”)."""
from __future__ import annotations

from letter_kit import (BODY, CURRENT, TEXT_WIDTH, add_row, heading, data_table, keep_rows_together, loop_rows,
                        numbered, official_letter, para, right_signature, signature_slot, table, tag_row, title_block,
                        unstretched_line_breaks)
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


def _list(doc, group: str, row: str) -> None:
    """A numbered list of a group's duties, „1) …;” and the last ending with a full stop; the punctuation
    a row was typed with is dropped so that none is doubled. `row` names the loop variable, one per
    group, so that the template's reads are told apart (tests/documents/test_templates.py)."""
    para(doc, f"{{%p for {row} in {group} %}}")
    numbered(doc, "{{ loop.index }})", f"{{{{ {row}.duty|trim('.;, ') }}}}{{% if loop.last %}}.{{% else %}};{{% endif %}}")
    para(doc, "{%p endfor %}")


def build_v1(v2: bool = False) -> object:
    """The parties, meetings (how often, where), the duties of the assistant and of the family, the duty
    to report changes, how cooperation ends, other arrangements, the family's statement and signatures
    (`v2`: see the module's docstring)."""
    doc = official_letter("Zasady współpracy asystenta rodziny z rodziną")
    unstretched_line_breaks(doc)  # the fields typed with newlines print in justified paragraphs
    title_block(doc)
    para(doc, "Zasady współpracy zostały ustalone w dniu {{ agreed_on }} między asystentem rodziny zatrudnionym "
              "przez {{ office.name }} – {{ assistant|named('inst') }}, a rodziną zamieszkałą pod "
              "adresem: {{ street }}, {{ postal_code }} {{ town }}, reprezentowaną przez:", keep_next=True,
         **BODY)
    tbl = data_table(doc, [1.0, 9.0, 6.5], ["Lp.", "Imię i nazwisko", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{{ p.role }}", "left")])
    para(doc, "Pracownikiem socjalnym prowadzącym sprawę rodziny jest {{ social_worker|named }}."
              "{% if raw.with_social_worker %} Zasady ustalono z udziałem pracownika socjalnego.{% endif %}",
         before=6, **BODY)
    para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem; zadania asystenta "
              "rodziny określa {{ legal_basis }}.", **BODY)

    heading(doc, "1. Spotkania")
    # an interval of one day is „codziennie”: „raz na 1 dni” is no Polish
    numbered(doc, "1)", "Asystent rodziny spotyka się z rodziną {% if raw.meeting_every_days == 1 %}codziennie"
                        "{% else %}nie rzadziej niż raz na {{ meeting_every_days }} dni{% endif %}, w terminach "
                        "uzgadnianych wspólnie z rodziną.")
    numbered(doc, "2)", "Miejsca spotkań: {{ meeting_places|trim('.;, ') }}.")
    heading(doc, "2. Obowiązki asystenta rodziny")
    para(doc, "Asystent rodziny zobowiązuje się:", after=3, keep_next=True)
    _list(doc, "assistant_duties", "a")
    heading(doc, "3. Obowiązki rodziny")
    para(doc, "Rodzina zobowiązuje się:", after=3, keep_next=True)
    _list(doc, "family_duties", "f")
    heading(doc, "4. Zgłaszanie zmian w sytuacji rodziny")
    para(doc, "Rodzina informuje osobiście pracownika socjalnego o każdej zmianie swojej sytuacji, w szczególności "
              "finansowej, zawodowej, składu rodziny lub miejsca zamieszkania, w terminie "
              f"{REPORT_CHANGES_DAYS} dni od jej zaistnienia. Jeżeli rodzina nie poinformuje o zmianie w tym "
              "terminie, informuje o niej pracownika socjalnego asystent rodziny.", **BODY)
    heading(doc, "5. Zakończenie współpracy")
    para(doc, "Współpraca asystenta rodziny z rodziną kończy się w szczególności w przypadku:", after=3,
         keep_next=True)
    for i, text in enumerate(ENDINGS, 1):
        numbered(doc, f"{i})", text + ("." if i == len(ENDINGS) else ";"))
    para(doc, "Zakończenie współpracy jest dokumentowane na piśmie.", before=3, **BODY)
    para(doc, "{%p if raw.court_ordered %}")
    para(doc, "Rodzina została zobowiązana do współpracy z asystentem rodziny postanowieniem sądu. O niepodjęciu "
              "współpracy, braku współpracy lub jej zakończeniu ośrodek informuje sąd.", **BODY)
    para(doc, "{%p endif %}")
    para(doc, "{%p if other_arrangements %}")
    heading(doc, "6. Inne ustalenia")
    para(doc, "{{ other_arrangements|multiline }}", **BODY)
    para(doc, "{%p endif %}")

    para(doc, "{{ family|agree('Zapoznałam się z zasadami współpracy, akceptuję je i otrzymałam ich egzemplarz.', "
              "'Zapoznałem się z zasadami współpracy, akceptuję je i otrzymałem ich egzemplarz.', "
              "'Zapoznałyśmy się z zasadami współpracy, akceptujemy je i otrzymałyśmy ich egzemplarz.', "
              "'Zapoznaliśmy się z zasadami współpracy, akceptujemy je i otrzymaliśmy ich egzemplarz.') }}",
         before=10, keep_next=True, **BODY)
    heading(doc, "{{ family|agree_number('Podpis członka rodziny', 'Podpisy członków rodziny') }}", before=10)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = add_row(sig)
    def who(idx: int) -> list:
        """The caption naming the signer: v1 „Anna Kowalska (matka)”; v2 the name, and the role on a
        line of its own („syn (pełnoletni)” in brackets after the name closed „))”)."""
        if v2:
            return [(f"{{{{ pair[{idx}].full_name }}}}", {"bold": True, "size": 10}), (f"{{{{ pair[{idx}].role }}}}", {})]
        return [(f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10})]

    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            *who(idx), ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    tag_row(sig, "{%tr endfor %}")
    if v2:
        # the assistant's part in rows of the same table: LibreOffice keeps rows together, not a
        # table with what follows it
        title = add_row(sig)
        heading(title.cells[0].merge(title.cells[2]), "Podpis asystenta rodziny", before=10)
        signature_slot(add_row(sig).cells[2], 7.5, "SIG:assistant:0", [
            ("{{ assistant_name }}", {"bold": True, "size": 10}),
            ("data i czytelny podpis asystenta rodziny", {"italic": True})])
        keep_rows_together(sig)
        return doc
    heading(doc, "Podpis asystenta rodziny", before=10)
    right_signature(doc, "SIG:assistant:0", [("{{ assistant_name }}", {"bold": True, "size": 10}),
                                             ("data i czytelny podpis asystenta rodziny", {"italic": True})],
                    before=2)
    return doc


def build_v2() -> object:
    """v1 with the signatures kept on one page with the family's statement."""
    return build_v1(v2=True)


BUILDERS = {"v1": (build_v1, CURRENT), "v2": (build_v2, CURRENT)}
