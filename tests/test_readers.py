"""bot.ingest.readers on real .txt, .md, .docx and .pdf files built in tmp_path."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from bot.ingest.readers import DocumentError, read_document

HUXLEY = Path(__file__).resolve().parents[1] / "knowledge" / "huxley" / "social-media-policy.txt"

CLAUSE_46 = (
    "4.6 You must not accept students or their parents /carers as friends or use social media to send "
    "any personal messages to them directly or indirectly."
)


# --- builders -------------------------------------------------------------------------------------


class _PolicyPdf(FPDF):
    """A PDF with the furniture real policies carry: a running header and a dated 'Page N' footer."""

    def header(self) -> None:
        self.set_font("Helvetica", size=9)
        self.cell(0, 6, "Social Media Policy", align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-20)
        self.set_font("Helvetica", size=9)
        self.cell(0, 5, "November 2016", align="L")
        self.ln(5)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")


def write_pdf(path: Path, pages: list[list[tuple[str, str]]], furniture: bool = True) -> Path:
    """Each page is a list of (kind, text) blocks; kind 'h' is a bold heading, anything else body text."""
    pdf = _PolicyPdf() if furniture else FPDF()
    pdf.set_auto_page_break(True, margin=25)
    for blocks in pages:
        pdf.add_page()
        for kind, text in blocks:
            pdf.set_font("Helvetica", "B" if kind == "h" else "", 13 if kind == "h" else 11)
            pdf.multi_cell(0, 6, text)
            pdf.ln(3)
    pdf.output(str(path))
    return path


def add_numbering(paragraph, level: int) -> None:
    """Give a Normal paragraph Word list numbering (w:numPr), as lists pasted from other documents have."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = 1


# --- .txt and .md ---------------------------------------------------------------------------------


def test_txt_is_returned_unchanged_except_line_endings(tmp_path: Path) -> None:
    text = "Policy\r\n\r\n4.6 You must not\u2026\r\n- accept \u201cfriends\u201d;\r\n\tindented\rend"
    path = tmp_path / "policy.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with the BOM Notepad adds

    assert read_document(path) == (
        "Policy\n\n4.6 You must not\u2026\n- accept \u201cfriends\u201d;\n\tindented\nend"
    )


def test_md_and_cp1252_text_from_windows_are_read(tmp_path: Path) -> None:
    md = tmp_path / "policy.MD"
    md.write_text("# Social Media Policy\n\n- staff must not post photos\n", encoding="utf-8")
    windows = tmp_path / "exported.txt"
    windows.write_bytes("Staff may be \u201cfriends\u201d \u2013 with care.\r\n".encode("cp1252"))

    assert read_document(md) == "# Social Media Policy\n\n- staff must not post photos\n"
    assert read_document(windows) == "Staff may be \u201cfriends\u201d \u2013 with care.\n"


# --- .docx ----------------------------------------------------------------------------------------


def test_docx_paragraphs_lists_and_tables_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Social Media Policy", level=0)
    document.add_paragraph("")  # empty paragraphs used as spacing must not pile up blank lines
    document.add_heading("4. Personal use of social media", level=1)
    document.add_paragraph(CLAUSE_46)
    document.add_paragraph("4.7 You must not post photographs of students under any circumstances.")
    document.add_paragraph("When using social media, staff must not:")
    document.add_paragraph("accept pupils as friends;", style="List Bullet")
    document.add_paragraph("share images of pupils, including", style="List Bullet")
    document.add_paragraph("on private accounts;", style="List Bullet 2")
    add_numbering(document.add_paragraph("disclose confidential information;"), level=0)
    add_numbering(document.add_paragraph("about colleagues;"), level=1)
    # numId 0 is Word's "numbering off": an ordinary paragraph despite its w:numPr.
    unnumbered = document.add_paragraph("Staff who breach this policy may face disciplinary action.")
    add_numbering(unnumbered, level=0)
    unnumbered._p.pPr.numPr.numId.val = 0
    # A heading numbered by Word's outline numbering is still a heading, not a list item.
    add_numbering(document.add_heading("5. Monitoring", level=1), level=0)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Role", "Name"), ("Headteacher", "Jane Owens")]):
        row.cells[0].text, row.cells[1].text = cells
    last = document.add_paragraph("Review:")
    last.add_run().add_break()  # a soft line break is not a new paragraph
    last.add_run("July 2023")
    path = tmp_path / "policy.docx"
    document.save(str(path))

    assert read_document(path) == (
        "Social Media Policy\n\n"
        "4. Personal use of social media\n\n"
        f"{CLAUSE_46}\n\n"
        "4.7 You must not post photographs of students under any circumstances.\n\n"
        "When using social media, staff must not:\n\n"
        "- accept pupils as friends;\n\n"
        "- share images of pupils, including\n\n"
        " - on private accounts;\n\n"
        "- disclose confidential information;\n\n"
        " - about colleagues;\n\n"
        "Staff who breach this policy may face disciplinary action.\n\n"
        "5. Monitoring\n\n"
        "Role\tName\nHeadteacher\tJane Owens\n\n"
        "Review: July 2023\n"
    )


def test_docx_merged_table_cell_appears_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Version history"
    table.cell(0, 2).text = "2023"
    for col, text in enumerate(("v1", "HR", "July")):
        table.cell(1, col).text = text
    path = tmp_path / "table.docx"
    document.save(str(path))

    assert read_document(path) == "Version history\t2023\nv1\tHR\tJuly\n"


# --- .pdf -----------------------------------------------------------------------------------------


def test_pdf_drops_running_header_footer_and_page_numbers(tmp_path: Path) -> None:
    pages = [
        [("h", "1. Introduction"), ("p", "1.1 This policy applies to all staff, governors and volunteers.")],
        [
            ("h", "4. Personal use of social media"),
            ("p", CLAUSE_46),
            # Same words as the running header, but in the body: it is content, not furniture.
            ("p", "Social Media Policy"),
            ("p", "\x95 accept pupils as friends;"),  # cp1252 bullet, as Word's PDFs draw it
            ("p", "4.7 Report any misuse to HR."),
        ],
        [("h", "10. Policy review"), ("p", "10.1 The governing body reviews this policy every year.")],
    ]
    text = read_document(write_pdf(tmp_path / "policy.pdf", pages))

    assert "November 2016" not in text
    assert "Page" not in text
    assert text.count("Social Media Policy") == 1
    assert text.startswith("1. Introduction\n1.1 This policy applies to all staff, governors and volunteers.")
    assert "\n- accept pupils as friends;\n" in text
    # Pages are joined without a blank line (a page break is not a paragraph break); no word is lost.
    assert "volunteers.\n4. Personal use of social media\n" in text
    assert text.endswith("10.1 The governing body reviews this policy every year.\n")
    assert " ".join(text.split()).count(CLAUSE_46) == 1


def test_pdf_page_numbers_go_even_on_a_single_page(tmp_path: Path) -> None:
    # One page, so nothing repeats: the page number must be recognised by its shape alone.
    blocks = [("p", "7.1 Up to 12 staff may attend."), ("p", "7.2 Minutes are kept."), ("p", "Page 1 of 1")]
    text = read_document(write_pdf(tmp_path / "one.pdf", [blocks], furniture=False))

    assert text == "7.1 Up to 12 staff may attend.\n7.2 Minutes are kept.\n"


def test_pdf_paragraph_running_over_a_page_break_stays_one_paragraph(tmp_path: Path) -> None:
    sentence = "Staff must keep their personal and professional lives separate at all times. "
    paragraph = "5.2 " + sentence * 60  # long enough to flow onto a second page
    text = read_document(write_pdf(tmp_path / "long.pdf", [[("p", paragraph), ("p", "5.3 Be respectful.")]]))

    running_on, _, next_clause = text.partition("\n\n")
    assert " ".join(running_on.split()) == paragraph.strip()
    assert next_clause == "5.3 Be respectful.\n"


def test_pdf_one_line_paragraphs_are_still_separated(tmp_path: Path) -> None:
    # Most gaps here are the wider ones between one-line clauses; the narrower line spacing inside
    # the wrapped paragraph is still what tells a paragraph break from a wrapped line.
    wrapped = "3.4 Staff must make themselves aware of their duties under Keeping Children Safe in " * 4
    short = ["3.1 Be kind online.", "3.2 Keep passwords safe.", "3.3 Log off."]
    blocks = [("p", clause) for clause in [*short, wrapped]]
    text = read_document(write_pdf(tmp_path / "short.pdf", [blocks], furniture=False))

    first, second, third, fourth = text.split("\n\n")
    assert [first, second, third] == short
    assert fourth.count("\n") == 4 and " ".join(fourth.split()) == wrapped.strip()


def test_pdf_text_drawn_higher_up_the_page_starts_a_new_paragraph(tmp_path: Path) -> None:
    # Text boxes and second columns are drawn after what sits below them; they are separate blocks.
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(110, 120)
    pdf.multi_cell(80, 6, "Contact the DSL with any concern.")
    pdf.set_xy(10, 30)
    pdf.multi_cell(80, 6, "6.1 Staff must report misuse.")
    path = tmp_path / "boxes.pdf"
    pdf.output(str(path))

    assert read_document(path) == "Contact the DSL with any concern.\n\n6.1 Staff must report misuse.\n"


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    # Many schools' PDFs are "protected" against editing only; anyone may open them.
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "4.1 Staff must not use personal phones in class.")
    pdf.set_encryption(owner_password="governors")
    path = tmp_path / "protected.pdf"
    pdf.output(str(path))

    assert read_document(path) == "4.1 Staff must not use personal phones in class.\n"


# --- the same policy through every reader, then the splitter --------------------------------------


def huxley_excerpt() -> list[tuple[str, str]]:
    """Sections 1, 2 and 4 of a real policy as (kind, text) blocks, made latin-1 safe for the PDF font."""
    lines = HUXLEY.read_text(encoding="utf-8").splitlines()

    def body(heading: str) -> int:
        # The contents list repeats each heading; the section itself is the last occurrence.
        return len(lines) - 1 - lines[::-1].index(heading)

    section_3 = "3. Compliance with related policies and agreements"
    section_5 = "5. Guidelines for responsible personal use of social media"
    wanted = lines[body("1. About this policy") : body(section_3)]
    wanted += lines[body("4. Personal use of social media") : body(section_5)]
    blocks = []
    for line in wanted:
        line = line.replace("\u201c", '"').replace("\u201d", '"').strip()
        if line:
            # The sample marks its clauses "- 1.1"; in the document itself they are numbered paragraphs.
            blocks.append(("p", line[2:]) if line.startswith("- ") else ("h", line))
    return blocks


def test_txt_docx_and_pdf_of_one_policy_split_into_the_same_clauses(tmp_path: Path) -> None:
    # Imported here so a problem in the splitter fails this test only, not the whole module.
    from bot.ingest.segment import split_clauses

    blocks = huxley_excerpt()
    assert len(blocks) > 20

    txt = tmp_path / "policy.txt"
    txt.write_text("\n\n".join(text for _, text in blocks) + "\n", encoding="utf-8")
    document = docx.Document()
    for kind, text in blocks:
        if kind == "h":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    document.save(str(tmp_path / "policy.docx"))
    # A forced page break after 2.1 and natural ones later (one inside 4.9): the running header and
    # footer repeat, long clauses wrap, and a clause continues over a page break.
    write_pdf(tmp_path / "policy.pdf", [blocks[:9], blocks[9:]])

    def clauses(name: str) -> list[tuple[str, str]]:
        text = read_document(tmp_path / name)
        found = split_clauses(text, school="t", policy="Social Media Policy", source="x")
        return [(clause.ref, clause.text) for clause in found]

    from_txt = clauses("policy.txt")
    refs = [ref for ref, _ in from_txt]
    assert {"1.1", "1.6", "2.4", "4.6", "4.11"} <= set(refs)
    assert any("You must not accept students" in text for ref, text in from_txt if ref == "4.6")
    assert clauses("policy.docx") == from_txt
    assert clauses("policy.pdf") == from_txt


# --- what cannot be read --------------------------------------------------------------------------


def _error(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert path.name in message
    return message


def test_unsupported_extension_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "policy.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old Word binary")

    message = _error(path)
    assert all(ext in message for ext in (".txt", ".md", ".docx", ".pdf"))


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))

    assert "not a readable PDF" in _error(path)


def test_password_protected_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Confidential")
    pdf.set_encryption(owner_password="governors", user_password="secret")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))

    assert "password-protected" in _error(path)


def test_pdf_without_a_text_layer(tmp_path: Path) -> None:
    # A scan: something is drawn on the page but there is no text to extract.
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = tmp_path / "scanned.pdf"
    pdf.output(str(path))

    assert "scanned" in _error(path)


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    path.write_text("4.6 You must not accept students as friends.", encoding="utf-8")

    assert "not a valid Word .docx" in _error(path)


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "renamed.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("policy.txt", "4.6 You must not accept students as friends.")

    assert "not a valid Word .docx" in _error(path)


@pytest.mark.parametrize("content", [b"", b"  \r\n\n\t\n"])
def test_empty_text_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)

    assert "no text" in _error(path)


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))

    assert "no text" in _error(path)


def test_utf16_text_is_rejected_rather_than_garbled(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("4.6 You must not".encode("utf-16"))

    assert "not UTF-8" in _error(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot be read" in _error(tmp_path / "missing.pdf")
