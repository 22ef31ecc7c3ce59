"""work_plan: Plan pracy z rodziną: the goals and actions agreed with the family, signed by the
family's adults who drew it up and the assistant.

v2: the plan's last section (the review date, or the child's plan when there is one) keeps with the
signatures: a page break before them moves that text over too, so the signatures never stand alone
on the last page; the lines of a text typed in lines (diagnosis, resources) are not stretched over
the width of a justified paragraph (letter_kit.unstretched_line_breaks); each signer's role under
the name on a line of its own (no „(syn (pełnoletni))”)."""
from __future__ import annotations

from letter_kit import (BODY, TEXT_WIDTH, add_row, data_table, heading, keep_row, loop_rows,  # noqa: F401
                        official_letter, para, shade, signature_slot, table, tag_row, title_block,
                        unstretched_line_breaks)


def build_v1(v2: bool = False) -> object:
    """Plan pracy z rodziną (typeset wording, outline levels: letter_kit.CURRENT): diagnosis and
    resources, the actions table grouped under the goals (a full-width goal row, then its actions;
    the header row repeats on every page), the review date, signatures of the family and the assistant.
    `v2`: see the module's docstring."""
    doc = official_letter("Plan pracy z rodziną")
    if v2:
        unstretched_line_breaks(doc)  # a text typed with newlines prints in a justified paragraph
    title_block(doc, "sporządzony na podstawie {{ legal_basis }}")
    para(doc, "{%p if replaces_line %}")
    para(doc, "{{ replaces_line }}", bold=True, after=8)
    para(doc, "{%p endif %}")
    para(doc, ["Data sporządzenia planu: ", ("{{ plan_date }}", {"bold": True})], after=2)
    para(doc, ["Asystent rodziny: ", ("{{ assistant_name }}", {"bold": True})], after=2)
    para(doc, "{%p if social_worker_name %}")
    para(doc, ["Plan opracowano w konsultacji z pracownikiem socjalnym: ", ("{{ social_worker_name }}", {"bold": True})],
         after=2)
    para(doc, "{%p endif %}")
    para(doc, "Plan opracowano wspólnie z członkami rodziny:", before=6, after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 9.0, 6.5], ["Lp.", "Imię i nazwisko", "Rola w rodzinie"])
    loop_rows(tbl, "p in participants", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                         ("{{ p.role }}", "left")])

    heading(doc, "1. Diagnoza sytuacji rodziny", before=12)
    para(doc, "{{ diagnosis }}", **BODY)
    heading(doc, "2. Zasoby i mocne strony rodziny")
    para(doc, "{{ resources }}", **BODY)

    heading(doc, "3. Cele i działania")
    para(doc, "Działania służące osiągnięciu celów ustalonych z rodziną, z zakresem, terminem realizacji "
              "i przewidywanym efektem każdego z nich oraz osobą odpowiedzialną.", after=4, keep_next=True)
    widths = [1.1, 5.6, 2.6, 4.3, 2.9]
    actions = data_table(doc, widths, ["Lp.", "Zakres działania", "Termin realizacji", "Przewidywany efekt",
                                       "Osoba odpowiedzialna"])
    tag_row(actions, "{%tr for g in plan_goals %}")
    goal = add_row(actions)
    merged = goal.cells[0].merge(goal.cells[len(widths) - 1])
    shade(merged, "F2F2F2")
    para(merged, [("Cel {{ g.number }}: ", {"bold": True}), ("{{ g.goal }}", {"bold": True})], size=10,
         keep_next=True)
    tag_row(actions, "{%tr for a in g.actions %}")
    row = add_row(actions)
    for cell, (text, align) in zip(row.cells, [("{{ a.number }}", "center"), ("{{ a.scope }}", "left"),
                                               ("{{ a.deadline }}", "center"), ("{{ a.expected_effect }}", "left"),
                                               ("{{ a.responsible }}", "left")]):
        para(cell, text, size=10, align=align)
    tag_row(actions, "{%tr endfor %}")
    tag_row(actions, "{%tr endfor %}")

    heading(doc, "4. Przegląd planu", before=12)
    # the date ends in „r.”: no full stop after it
    para(doc, "Realizacja planu zostanie oceniona, a plan w razie potrzeby zmieniony, do dnia "
              "{{ review_date }}", keep_next=v2, **BODY)
    para(doc, "{%p if child_plan %}")
    heading(doc, "5. Plan pomocy dziecku")
    para(doc, ["Plan jest skoordynowany z planem pomocy dziecku: ", "{{ child_plan }}"], keep_next=v2, **BODY)
    para(doc, "{%p endif %}")

    heading(doc, "Podpisy", before=14)
    para(doc, "Plan ustalono wspólnie i przyjęto do realizacji.", after=4, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in signature_slots|batch(2) %}")
    row = add_row(sig)
    def who(idx: int) -> list:
        """The caption naming the signer: v1 „Anna Kowalska (matka)”; v2 the name, and the role on a
        line of its own („syn (pełnoletni)” in brackets after the name closed „))”)."""
        if v2:
            return [(f"{{{{ pair[{idx}].name }}}}", {"bold": True, "size": 10}), (f"{{{{ pair[{idx}].role }}}}", {})]
        return [(f"{{{{ pair[{idx}].name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10})]

    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"{{{{ pair[{idx}].marker }}}}", [
            *who(idx), ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    # the block stays whole and with its heading: no row splits, and every paragraph of a row keeps
    # with the next, so the assistant's signature never stays alone on a page after the family's
    keep_row(row)
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    tag_row(sig, "{%tr endfor %}")
    return doc


def build_v2() -> object:
    """v1 with the last section kept with the signatures."""
    return build_v1(v2=True)


BUILDERS = {"v1": build_v1, "v2": build_v2}
