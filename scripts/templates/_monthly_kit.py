"""What the two monthly reports' templates share: the pair of staff signatures, the assistant's on
the left and the head's acceptance on the right. (A module starting with "_" is no template:
build_templates skips it.)"""
from __future__ import annotations

from letter_kit import TEXT_WIDTH, keep_row, para, signature_slot, table


def signatures(doc, before: float = 18) -> None:
    """„Sporządził(a)” by the assistant (SIG:assistant:0) and the head's acceptance
    (SIG:head_acceptance:0) side by side, kept on one page."""
    para(doc, "", after=before, keep_next=True)
    half = TEXT_WIDTH / 2
    tbl = table(doc, [half, half])
    row = tbl.rows[0]
    keep_row(row)
    left, right = row.cells
    para(left, "Sporządzono:", size=10, align="center", keep_next=True)
    signature_slot(left, half - 0.5, "SIG:assistant:0", [("{{ assistant_name }}", {"bold": True, "size": 10}),
                                                          ("asystent rodziny, czytelny podpis", {"italic": True})])
    para(right, "Akceptuję:", size=10, align="center", keep_next=True)
    signature_slot(right, half - 0.5, "SIG:head_acceptance:0",
                   [("{{ office.head_name }}", {"bold": True, "size": 10}),
                    ("{{ office.head_title }}, czytelny podpis", {"italic": True})])
