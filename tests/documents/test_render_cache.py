"""The prepared-template path of render_docx gives exactly what plain docxtpl gives, once per version."""
from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from docxtpl import DocxTemplate

from service.documents import render
from service.documents.render import RenderError, render_docx
from service.documents.context import sample_context
from service.documents.registry import DOCUMENT_TYPES
from tests.documents.test_templates import all_text, hostile, template, variants

PROPERTIES = {"title": "Zgoda rodziny", "author": "MOPS w Oświęcimiu", "subject": "MOPS.SPS.4011.12.2026",
              "identifier": "7f3a9c21", "language": "pl-PL"}
# Every type's sample and its variants (test_templates.variants), from the registry.
SAMPLES = {t.slug: [sample_context(t, data) for data in variants(t)] for t in DOCUMENT_TYPES}
CASES = [(slug, i) for slug, ctxs in SAMPLES.items() for i in range(len(ctxs))]


def members(docx: bytes) -> dict[str, bytes]:
    """Every member of a DOCX by name."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_docxtpl(slug: str, context: dict) -> bytes:
    """What plain docxtpl renders, as render_docx did before templates were prepared once."""
    doc = DocxTemplate(str(template(slug)))
    doc.render(context, jinja_env=render.make_environment(), autoescape=True)
    for key, value in PROPERTIES.items():
        setattr(doc.docx.core_properties, key, render.xml_safe(value))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("spoil", [False, True], ids=["sample", "hostile"])
@pytest.mark.parametrize(("slug", "i"), CASES)
def test_every_part_is_what_docxtpl_writes(slug, i, spoil):
    context = hostile(SAMPLES[slug][i]) if spoil else SAMPLES[slug][i]
    ours, theirs = members(render_docx(template(slug), context, PROPERTIES)), members(with_docxtpl(slug, context))
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert next(iter(ours)) == "[Content_Types].xml"


def test_tabs_and_listing_characters_are_resolved_like_docxtpl():
    """A value with a tab takes docxtpl's resolve_listing path (\\a and \\f never reach it: xml_safe)."""
    context = SAMPLES["family_consent"][0] | {"street": "ul. Śląska\t5", "town": "Oświęcim\fdalej"}
    ours = members(render_docx(template("family_consent"), context, PROPERTIES))["word/document.xml"]
    assert ours == members(with_docxtpl("family_consent", context))["word/document.xml"]
    assert b"<w:tab/>" in ours and "Oświęcimdalej" in ours.decode()


def test_a_template_is_prepared_once_per_version(monkeypatch):
    data = template("assignment_letter").read_bytes()
    render_docx(data, SAMPLES["assignment_letter"][0])
    patched = []
    original = DocxTemplate.patch_xml
    monkeypatch.setattr(DocxTemplate, "patch_xml", lambda self, xml: patched.append(1) or original(self, xml))
    for ctx in SAMPLES["assignment_letter"]:
        render_docx(data, ctx)
    assert patched == []
    # a new version (other bytes) is prepared anew, not served from the old one
    changed = _replace_in_document(data, "Strona", "Stronica")
    assert "Stronica" not in all_text(render_docx(data, SAMPLES["assignment_letter"][0]))
    assert "Stronica" in all_text(render_docx(changed, SAMPLES["assignment_letter"][0]))
    assert patched


def test_renders_from_many_threads_are_independent():
    slugs = [(slug, i) for slug, i in CASES] * 3
    expected = {case: members(render_docx(template(case[0]), SAMPLES[case[0]][case[1]])) for case in CASES}
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda case: members(render_docx(template(case[0]), SAMPLES[case[0]][case[1]])),
                                slugs))
    for case, result in zip(slugs, results):
        assert result == expected[case], case


def test_template_errors_stay_render_errors_and_are_not_cached():
    broken = _replace_in_document(template("family_consent").read_bytes(), "{{ title }}", "{{ title }}{% endif %}")
    for _ in range(2):
        with pytest.raises(RenderError, match="TemplateSyntaxError"):
            render_docx(broken, SAMPLES["family_consent"][0])
    with pytest.raises(RenderError):
        render_docx(b"not a docx", {})


def test_a_template_without_core_properties_falls_back_to_docxtpl():
    data = _without_core_properties(template("family_consent").read_bytes())
    assert render._CACHE.get(data) is None
    text = all_text(render_docx(data, SAMPLES["family_consent"][1], PROPERTIES))
    assert SAMPLES["family_consent"][1]["case_sign"] in text


def _rewrite(data: bytes, change) -> bytes:
    """The DOCX with change(name, bytes) -> bytes | None applied to every member (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = change(info.filename, source.read(info))
            if blob is not None:
                target.writestr(info, blob)
    return out.getvalue()


def _replace_in_document(data: bytes, old: str, new: str) -> bytes:
    def change(name, blob):
        if name in ("word/document.xml", "word/footer1.xml") and old.encode() in blob:
            return blob.replace(old.encode(), new.encode(), 1)
        return blob
    result = _rewrite(data, change)
    assert result != data
    return result


def _without_core_properties(data: bytes) -> bytes:
    def change(name, blob):
        if name == "docProps/core.xml":
            return None
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return re.sub(rb"<(Relationship|Override)[^>]*core(-properties|\.xml)[^>]*/>", b"", blob)
        return blob
    return _rewrite(data, change)
