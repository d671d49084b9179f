"""Read uploaded policy documents (.txt, .md, .docx, .pdf) into the plain text the clause splitter reads.

That text has headings on their own lines, paragraphs separated by blank lines, bullet items as
'- ' lines (nested ones ' - '), and table rows as tab-joined lines. Words are never changed: the bot
quotes clauses verbatim, so readers may only drop page furniture and adjust whitespace.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from pypdf import PageObject, PdfReader

SUPPORTED = (".txt", ".md", ".docx", ".pdf")

# Running headers/footers sit in the first or last few lines a PDF page yields.
EDGE_LINES = 3
PAGE_LABEL = re.compile(r"(-\s*)?(page\s+)?\d+(\s*(of|/)\s*\d+)?(\s*-)?", re.IGNORECASE)
# Word's bullet glyphs as PDF text extraction yields them (U+F0B7 and U+F0A7 are Symbol/Wingdings).
BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u25a0\u25e6\uf0b7\uf0a7]\s*")


class DocumentError(Exception):
    """A policy document that cannot be turned into text; the message names the file."""


def read_document(path: Path) -> str:
    """The document's text in the splitter's shape; DocumentError if it has none we can read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(
            f"{path.name} is not a supported policy document: use one of {', '.join(SUPPORTED)}."
        )
    if not path.is_file():
        raise DocumentError(f"{path.name} cannot be read: no such file.")
    if suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_text(path)
    if not text.strip():
        why = " (it may be a scanned image without a text layer)" if suffix == ".pdf" else ""
        raise DocumentError(f"{path.name} has no text to read{why}.")
    return text


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    # No text file contains NUL bytes; UTF-16 exports and binaries do, and cp1252 would accept them.
    if b"\x00" in data:
        raise DocumentError(f"{path.name} is not UTF-8 text (it looks like UTF-16 or a binary file).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Word's "Plain Text" export on Windows is cp1252 unless told otherwise.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DocumentError(f"{path.name} is not UTF-8 text.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_docx(path: Path) -> str:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        # KeyError: a zip without Word's parts; ValueError: another Office format; SyntaxError: broken XML.
        raise DocumentError(f"{path.name} is not a valid Word .docx document.") from None
    blocks: list[str] = []
    # iter_inner_content walks the body's children, so tables stay where they are in the document.
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [_table_row(row.cells) for row in block.rows]
            blocks.append("\n".join(row for row in rows if row.strip()))
        else:
            blocks.append(_paragraph_line(block))
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _paragraph_line(paragraph: Paragraph) -> str:
    # A soft line break (Shift+Enter) is layout, not a new paragraph.
    text = paragraph.text.replace("\n", " ").strip()
    style = paragraph.style.name if paragraph.style is not None else ""
    if not text or style.startswith(("Heading", "Title")):
        return text
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if num_pr is not None and num_pr.numId is not None and num_pr.numId.val == 0:
        num_pr = None  # numId 0 is how Word switches a list style's numbering off for one paragraph
    if not style.startswith("List") and num_pr is None:
        return text
    if num_pr is not None and num_pr.ilvl is not None:
        level = num_pr.ilvl.val
    else:
        # Built-in list styles carry the level in their name: "List Bullet 2" is one level in.
        level = int(style[-1]) - 1 if style[-1:].isdigit() else 0
    return (" - " if level > 0 else "- ") + text


def _table_row(cells: list[_Cell]) -> str:
    # python-docx repeats a merged cell once per grid column it spans; keep it once.
    unique = [cell for i, cell in enumerate(cells) if i == 0 or cell._tc is not cells[i - 1]._tc]
    return "\t".join(" ".join(cell.text.split()) for cell in unique)


def _read_pdf(path: Path) -> str:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path.name} is a password-protected PDF; upload an unprotected copy.")
        pages = [_pdf_lines(page) for page in reader.pages]
    except DocumentError:
        raise
    except Exception:
        # pypdf raises many exception types (PdfReadError, ValueError, KeyError, ...) on damaged files.
        raise DocumentError(f"{path.name} is not a readable PDF (it may be damaged or encrypted).") from None
    furniture = _running_lines([[text for text, _ in lines] for lines in pages])
    pages = [
        [(text, y) for i, (text, y) in enumerate(lines) if not _is_furniture(text, i, len(lines), furniture)]
        for lines in pages
    ]
    # pypdf yields lines, not paragraphs: a gap clearly wider than the line spacing inside a paragraph
    # is a paragraph break. That spacing is a low quantile of the gaps, not the median, because in
    # policies full of one-line paragraphs and list items the wider gap between them is the commoner.
    # Pages are joined with one newline, since a paragraph often runs on over a page break.
    gaps = sorted(gap for lines in pages for gap in _gaps(lines) if gap > 1)
    spacing = gaps[len(gaps) // 4] if gaps else 0.0
    out: list[str] = []
    for lines in pages:
        for (text, _), gap in zip(lines, [0.0, *_gaps(lines)]):
            # A jump upwards is a new column or text box; a wide gap ends a paragraph.
            if gap < -1 or (spacing and gap > 1.3 * spacing):
                out.append("")
            out.append(text)
    return "\n".join(out) + "\n"


def _pdf_lines(page: PageObject) -> list[tuple[str, float]]:
    """The page's lines as pypdf extracts them, each with the height on the page where it starts."""
    lines: list[list] = [["", None]]  # [text, height of its first visible piece]

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for n, piece in enumerate(text.split("\n")):
            if n:
                lines.append(["", None])
            if lines[-1][1] is None and piece.strip():
                lines[-1][1] = y
            lines[-1][0] += piece

    # The visitor sees exactly the text extract_text returns, in pieces that carry their position.
    page.extract_text(visitor_text=visit)
    return [(BULLET.sub("- ", text.strip()), y) for text, y in lines if text.strip() and y is not None]


def _gaps(lines: list[tuple[str, float]]) -> list[float]:
    return [above - below for (_, above), (_, below) in zip(lines, lines[1:])]


def _shape(line: str) -> str:
    # Digits are blanked so "Page 3 of 9 | Social Media Policy" matches on every page.
    return re.sub(r"\d+", "#", line.lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Line shapes found at the top or bottom of most pages: running headers and footers."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_shape(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    needed = max(2, (len(pages) + 1) // 2)
    return {shape for shape, count in seen.items() if count >= needed}


def _is_furniture(line: str, index: int, count: int, running: set[str]) -> bool:
    at_edge = index < EDGE_LINES or index >= count - EDGE_LINES
    if not at_edge:
        return False
    return PAGE_LABEL.fullmatch(line) is not None or _shape(line) in running
