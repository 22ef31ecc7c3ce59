"""family_consent: Zgoda rodziny na współpracę z asystentem rodziny (v1, v2: slash forms; v3: agreeing wording).

v4: the signatures stay with the text they sign (forms_templates/README.md): the clause's last
point keeps with the heading of the signatures, and the rows of the signatures do not break and
keep together; the legal basis is cited after „Zgodnie z”, not in brackets (its own „(Dz. U. …)”
closed „))”); each person's role under the name on a line of its own (no „(syn (pełnoletni))”);
the list of what the persons were told ends in a full stop when the point naming the social
worker is left out (v3 ended it in „;”)."""
from __future__ import annotations

from letter_kit import (BODY, CURRENT, FIRST, TEXT_WIDTH, TYPESET, add_row, data_table, heading,  # noqa: F401
                        keep_rows_together, loop_rows, numbered, official_letter, para, right_signature,
                        signature_slot, table, tag_row, title_block)

RODO_INTRO = (
    "Zgodnie z art. 13 ust. 1 i 2 rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia "
    "2016 r. w sprawie ochrony osób fizycznych w związku z przetwarzaniem danych osobowych i w sprawie swobodnego "
    "przepływu takich danych oraz uchylenia dyrektywy 95/46/WE (ogólne rozporządzenie o ochronie danych, Dz. Urz. "
    "UE L 119 z 4.05.2016, str. 1, z późn. zm.), zwanego dalej „RODO”, informujemy, że:")
RODO_POINTS = [
    "Administratorem Pani/Pana danych osobowych oraz danych osobowych członków Pani/Pana rodziny jest "
    "{{ office.name }}, {{ office.street }}, {{ office.postal_code }} {{ office.town }}, tel. {{ office.phone }}, "
    "e-mail: {{ office.email }}.",
    "Administrator wyznaczył inspektora ochrony danych, z którym można kontaktować się we wszystkich sprawach "
    "dotyczących przetwarzania danych osobowych i korzystania z praw z tym związanych: e-mail {{ office.iod_email }} "
    "lub pisemnie na adres siedziby administratora.",
    "Dane osobowe są przetwarzane w celu realizacji zadań z zakresu wspierania rodziny, w szczególności "
    "przydzielenia rodzinie asystenta rodziny, prowadzenia przez niego pracy z rodziną, opracowania i realizacji "
    "planu pracy z rodziną oraz dokumentowania tej pracy.",
    "Podstawą prawną przetwarzania jest art. 6 ust. 1 lit. c i e RODO (obowiązek prawny ciążący na "
    "administratorze oraz zadanie realizowane w interesie publicznym), a w odniesieniu do szczególnych kategorii "
    "danych, w tym danych dotyczących zdrowia – art. 9 ust. 2 lit. g i h RODO, w związku z przepisami ustawy "
    "z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej.",
    "Odbiorcami danych mogą być wyłącznie podmioty uprawnione na podstawie przepisów prawa (w szczególności sądy, "
    "organy administracji publicznej i inne instytucje współdziałające w zakresie wspierania rodziny) oraz "
    "podmioty przetwarzające dane w imieniu administratora na podstawie zawartych z nim umów (np. dostawcy "
    "systemów informatycznych, operatorzy pocztowi). Dane nie będą przekazywane do państwa trzeciego ani "
    "organizacji międzynarodowej.",
    "Dane osobowe będą przechowywane przez okres niezbędny do realizacji celu przetwarzania, a następnie przez "
    "okres wynikający z przepisów o narodowym zasobie archiwalnym i archiwach, określony w instrukcji kancelaryjnej "
    "i jednolitym rzeczowym wykazie akt administratora.",
    "Przysługuje Pani/Panu prawo dostępu do treści swoich danych, ich sprostowania i ograniczenia przetwarzania, "
    "a w przypadkach określonych w art. 21 RODO – prawo wniesienia sprzeciwu wobec przetwarzania. Prawo do "
    "usunięcia danych przysługuje w zakresie, w jakim przetwarzanie nie jest wymagane przepisami prawa.",
    "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, "
    "00-193 Warszawa), jeżeli uzna Pani/Pan, że przetwarzanie danych osobowych narusza przepisy RODO.",
    "Podanie danych osobowych jest niezbędne do udzielenia rodzinie wsparcia przez asystenta rodziny; ich "
    "niepodanie uniemożliwi udzielenie tego wsparcia.",
    "Dane osobowe nie będą wykorzystywane do zautomatyzowanego podejmowania decyzji, w tym do profilowania.",
]
CONSENT_INFO = [
    "asystent rodziny prowadzi pracę z rodziną w miejscu jej zamieszkania lub w miejscu wskazanym przez rodzinę;",
    "asystent rodziny opracowuje i realizuje plan pracy z rodziną wspólnie z członkami rodziny i w konsultacji "
    "z pracownikiem socjalnym;",
    "asystent rodziny udziela wsparcia w rozwiązywaniu problemów opiekuńczo-wychowawczych z dziećmi, w prowadzeniu "
    "gospodarstwa domowego oraz w rozwiązywaniu problemów socjalnych i psychologicznych rodziny;",
    "asystent rodziny wspiera aktywność społeczną rodziny, motywuje jej członków do podnoszenia kwalifikacji "
    "zawodowych oraz pomaga w poszukiwaniu, podejmowaniu i utrzymywaniu pracy zarobkowej;",
    "asystent rodziny pomaga w kontaktach z instytucjami, w szczególności ze szkołą, przedszkolem, placówkami "
    "ochrony zdrowia, urzędem pracy i sądem;",
    "współpraca jest dobrowolna: w każdej chwili mogę (możemy) wycofać zgodę i zrezygnować ze wsparcia asystenta "
    "rodziny, składając pisemne oświadczenie w ośrodku lub przekazując je asystentowi rodziny; wycofanie zgody nie "
    "wpływa na działania podjęte przed jej wycofaniem;",
]


def build_v1() -> object:
    """Zgoda rodziny na współpracę z asystentem rodziny, with the art. 13 RODO clause and a slot per person."""
    doc = official_letter("Zgoda rodziny na współpracę z asystentem rodziny")
    title_block(doc)
    para(doc, "Ja/My, niżej podpisana/y/i:", after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 6.5, 3.5, 5.5], ["Lp.", "Imię i nazwisko", "PESEL", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{% if p.pesel %}{{ p.pesel }}{% else %}–{% endif %}", "center"),
                                    ("{{ p.role }}", "left")])
    para(doc, "zamieszkała/y/li: {{ street }}, {{ postal_code }} {{ town }},", before=6, **BODY)
    para(doc, "dobrowolnie wyrażam/wyrażamy zgodę na współpracę z asystentem rodziny zatrudnionym przez "
              "{{ office.name }}{% if assistant_name %} – Panią/Panem {{ assistant_name }}{% endif %} oraz "
              "deklaruję/deklarujemy aktywny udział w tej współpracy, w szczególności we wspólnym opracowaniu "
              "i realizacji planu pracy z rodziną.", **BODY)
    para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem ({{ legal_basis }}).",
         **BODY)
    para(doc, "Zostałam/em (zostaliśmy) poinformowana/y(i), że:", after=3, keep_next=True)
    for i, text in enumerate(CONSENT_INFO, 1):
        numbered(doc, f"{i}.", text)
    para(doc, "{%p if social_worker_name %}")
    numbered(doc, f"{len(CONSENT_INFO) + 1}.",
             "pracownikiem socjalnym prowadzącym sprawę rodziny jest Pani/Pan {{ social_worker_name }}.")
    para(doc, "{%p endif %}")

    heading(doc, "Klauzula informacyjna (art. 13 RODO)")
    para(doc, RODO_INTRO, align="justify", size=10, after=3)
    for i, text in enumerate(RODO_POINTS, 1):
        numbered(doc, f"{i}.", text, size=10, after=2)

    heading(doc, "Podpisy członków rodziny", before=14)
    para(doc, ["Data: ", ("{{ consent_date }}", {"bold": True})], after=4, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = add_row(sig)
    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            (f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10}),
            ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    tag_row(sig, "{%tr endfor %}")
    return doc



# Whom the family consent speaks to: the persons consenting (grammar.Persons `consenting`).
# agree(one woman, one man, several women, several persons with a man among them, several men only)
YOU_GEN = "{{ consenting|agree('Pani', 'Pana', 'Pań', 'Państwa', 'Panów') }}"
YOU_DAT = "{{ consenting|agree('Pani', 'Panu', 'Paniom', 'Państwu', 'Panom') }}"
YOU_DECIDE = "{{ consenting|agree('uzna Pani', 'uzna Pan', 'uznają Panie', 'uznają Państwo', 'uznają Panowie') }}"
RODO_POINTS_V3 = [
    f"Administratorem {YOU_GEN} danych osobowych oraz danych osobowych członków {YOU_GEN} rodziny jest "
    "{{ office.name }}, {{ office.street }}, {{ office.postal_code }} {{ office.town }}, tel. {{ office.phone }}, "
    "e-mail: {{ office.email }}.",
    *RODO_POINTS[1:6],
    f"Przysługuje {YOU_DAT} prawo dostępu do treści swoich danych, ich sprostowania i ograniczenia przetwarzania, "
    "a w przypadkach określonych w art. 21 RODO – prawo wniesienia sprzeciwu wobec przetwarzania. Prawo do "
    "usunięcia danych przysługuje w zakresie, w jakim przetwarzanie nie jest wymagane przepisami prawa.",
    f"Przysługuje {YOU_DAT} prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych (ul. Stawki 2, "
    f"00-193 Warszawa), jeżeli {YOU_DECIDE}, że przetwarzanie danych osobowych narusza przepisy RODO.",
    *RODO_POINTS[8:],
]
CONSENT_INFO_V3 = [
    *CONSENT_INFO[:-1],
    "współpraca jest dobrowolna: w każdej chwili {{ consenting|agree_number('mogę', 'możemy') }} wycofać zgodę "
    "i zrezygnować ze wsparcia asystenta rodziny, składając pisemne oświadczenie w ośrodku lub przekazując je "
    "asystentowi rodziny; wycofanie zgody nie wpływa na działania podjęte przed jej wycofaniem;",
]


def build_v3(v4: bool = False) -> object:
    """Zgoda rodziny (v3): the wording agrees with the persons consenting, the assistant and the
    worker (`v4`: see the module's docstring)."""
    doc = official_letter("Zgoda rodziny na współpracę z asystentem rodziny")
    title_block(doc)
    para(doc, "{{ consenting|agree('Ja, niżej podpisana:', 'Ja, niżej podpisany:', 'My, niżej podpisane:', "
              "'My, niżej podpisani:') }}", after=4, keep_next=True)
    tbl = data_table(doc, [1.0, 6.5, 3.5, 5.5], ["Lp.", "Imię i nazwisko", "PESEL", "Rola w rodzinie"])
    loop_rows(tbl, "p in persons", [("{{ loop.index }}.", "center"), ("{{ p.full_name }}", "left"),
                                    ("{% if p.pesel %}{{ p.pesel }}{% else %}–{% endif %}", "center"),
                                    ("{{ p.role }}", "left")])
    para(doc, "{{ consenting|agree('zamieszkała', 'zamieszkały', 'zamieszkałe', 'zamieszkali') }} pod adresem: "
              "{{ street }}, {{ postal_code }} {{ town }},", before=6, **BODY)
    para(doc, "dobrowolnie {{ consenting|agree_number('wyrażam', 'wyrażamy') }} zgodę na współpracę z asystentem "
              "rodziny zatrudnionym przez {{ office.name }}{% if assistant %} – {{ assistant|named('inst') }}"
              "{% endif %} oraz {{ consenting|agree_number('deklaruję', 'deklarujemy') }} aktywny udział w tej "
              "współpracy, w szczególności we wspólnym opracowaniu i realizacji planu pracy z rodziną.", **BODY)
    if v4:
        # the citation ends in its own bracket („(Dz. U. …)”): not inside another one, which closed „))”
        para(doc, "Zgodnie z {{ legal_basis }} wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym "
                  "udziałem.", **BODY)
    else:
        para(doc, "Wspieranie rodziny jest prowadzone za jej zgodą i z jej aktywnym udziałem ({{ legal_basis }}).",
             **BODY)
    para(doc, "{{ consenting|agree('Zostałam poinformowana', 'Zostałem poinformowany', 'Zostałyśmy poinformowane', "
              "'Zostaliśmy poinformowani') }}, że:", after=3, keep_next=True)
    for i, text in enumerate(CONSENT_INFO_V3, 1):
        if v4 and i == len(CONSENT_INFO_V3):
            # the list's last point ends in a full stop: without a social worker the point naming
            # one is left out, and v3 ended the list in „;”
            text = text.removesuffix(";") + "{% if social_worker %};{% else %}.{% endif %}"
        numbered(doc, f"{i}.", text)
    para(doc, "{%p if social_worker %}")
    numbered(doc, f"{len(CONSENT_INFO_V3) + 1}.",
             "pracownikiem socjalnym prowadzącym sprawę rodziny jest {{ social_worker|named }}.")
    para(doc, "{%p endif %}")

    heading(doc, "Klauzula informacyjna (art. 13 RODO)")
    para(doc, RODO_INTRO, align="justify", size=10, after=3)
    for i, text in enumerate(RODO_POINTS_V3, 1):
        # v4: the clause's last point keeps with the signatures, which never stand alone on a page
        numbered(doc, f"{i}.", text, size=10, after=2, keep_next=v4 and i == len(RODO_POINTS_V3))

    heading(doc, "{{ consenting|agree_number('Podpis członka rodziny', 'Podpisy członków rodziny') }}", before=14)
    para(doc, ["Data: ", ("{{ consent_date }}", {"bold": True})], after=4, keep_next=True)
    sig = table(doc, [7.5, TEXT_WIDTH - 15.0, 7.5], rows=0)
    tag_row(sig, "{%tr for pair in persons|batch(2) %}")
    row = add_row(sig)

    def who(idx: int) -> list:
        """The caption naming the signer: v3 „Anna Kowalska (matka)”; v4 the name, and the role on a
        line of its own („syn (pełnoletni)” in brackets after the name closed „))”)."""
        if v4:
            return [(f"{{{{ pair[{idx}].full_name }}}}", {"bold": True, "size": 10}), (f"{{{{ pair[{idx}].role }}}}", {})]
        return [(f"{{{{ pair[{idx}].full_name }}}} ({{{{ pair[{idx}].role }}}})", {"bold": True, "size": 10})]

    for cell, idx in ((row.cells[0], 0), (row.cells[2], 1)):
        guard = "pair|length > 1" if idx else None
        signature_slot(cell, 7.5, f"SIG:family_member:{{{{ loop.index0 * 2 + {idx} }}}}", [
            *who(idx), ("data i czytelny podpis", {"italic": True})], guard=guard)
        para(cell, "", after=8)
    tag_row(sig, "{%tr endfor %}")
    if v4:
        keep_rows_together(sig)  # the rows of the loop too: every signature on the page of the clause's end
    return doc


def build_v4() -> object:
    """v3 with the signatures kept with the text they sign, the citation out of brackets and each
    person's role under the name."""
    return build_v3(v4=True)


# v1 and v2 share a builder: v2 only typesets its wording
BUILDERS = {"v1": (build_v1, FIRST), "v2": (build_v1, TYPESET), "v3": (build_v3, CURRENT), "v4": (build_v4, CURRENT)}
