"""Normalising what people type or paste from Excel: full-width digits and letters, stray spaces."""

import unicodedata


def normalize_text(value: object) -> str:
    """NFKC turns full-width digits/letters (１２３, ＡＢ) into ASCII; all whitespace runs are dropped at the ends
    and collapsed inside. Returns '' for None."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("\u3000", " ")
    return " ".join(text.split())


def normalize_code(value: object) -> str:
    """For identifiers (工号, phone): no spaces at all."""
    return normalize_text(value).replace(" ", "")
