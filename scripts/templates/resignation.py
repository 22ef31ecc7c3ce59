"""resignation: Rezygnacja ze wsparcia asystenta rodziny (v1): who withdraws, the date, the reason if
given; each person signs on the tablet. The wording agrees with the persons (grammar filters).

v2: the reason and every person's signature stay on one page (keep-with-next, rows kept together):
no signature stands on a page without the statement it signs; each person's role under the name
on a line of its own (no „(syn (pełnoletni))”)."""
from __future__ import annotations

from letter_kit import (BODY, TEXT_WIDTH, add_row, data_table, heading, keep_rows_together, loop_rows,
                        official_letter, para, signature_slot, table, tag_row, title_block, unstretched_line_breaks)
from work_kit import text_or


def build_v1(v2: bool = False) -> object:
    """The family's written resignation, one signature per person (`v2`: see the module's docstring)."""
    doc = official_letter("Rezygnacja ze wsparcia asystenta rodziny")
    if v2:
        unstretched_line_breaks(doc)  # a text typed with newlines prints in a justified paragraph
    title_block(doc)
    para(doc, "{{ resigning|agree('Ja, niżej podpisana:', 'Ja, niżej podpisany:', 'My, niżej podpisane:', "
              "'My, niżej podpisani:') }}", after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 9.5, 6.0], ["Lp.", "Imię i nazwisko", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{{ p.role }}", "left")])
    para(doc, "{{ resigning|agree('zamieszkała', 'zamieszkały', 'zamieszkałe', 'zamieszkali') }} pod adresem: "
              "{{ street }}, {{ postal_code }} {{ town }},", before=6, **BODY)
    para(doc, "{{ resigning|agree_number('oświadczam, że rezygnuję', 'oświadczamy, że rezygnujemy') }} ze wsparcia "
              "asystenta rodziny zatrudnionego przez {{ office.name }} z dniem {{ resignation_date }}", **BODY)
    # the citation ends in its own bracket („(Dz. U. …)”): not inside another one, which would close „))”
    para(doc, "Zgodnie z {{ legal_basis }} wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym "
              "udziałem; rezygnacja nie zamyka drogi do ponownego ubiegania się o wsparcie asystenta rodziny.", **BODY)
    heading(doc, "Przyczyna rezygnacji")
    para(doc, text_or("reason", "Nie podano."), keep_next=v2, **BODY)
    heading(doc, "{{ resigning|agree_number('Podpis', 'Podpisy') }}", before=14)
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
        keep_rows_together(sig)
    return doc


def build_v2() -> object:
    """v1 with the reason and the signatures kept on one page."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
