"""`junheng evaluate metadata`: accuracy of region, date, doc_type, balance_stage, title and
issuer against the corpus gold, for each rendering of the reports."""
from __future__ import annotations

from junheng.text.clean import normalise
from junheng.document import Document

FIELDS = ("region", "date", "doc_type", "balance_stage", "title", "issuer")


def _predicted(doc: Document, field: str):
    if field == "region":
        return doc.region.code
    value = getattr(doc, field)
    return normalise(value) if field in ("title", "issuer") and value else value


def _expected(gold: dict, field: str):
    if field == "region":
        return (gold.get("region") or {}).get("code")
    value = gold.get(field)
    return normalise(value) if field in ("title", "issuer") and value else value


def evaluate_metadata(gold: dict[str, dict], documents: dict[str, Document]) -> dict:
    """Per field: accuracy over the documents given, and the misses."""
    result = {}
    for field in FIELDS:
        misses = []
        for slug, doc in documents.items():
            expected, predicted = _expected(gold[slug], field), _predicted(doc, field)
            if expected != predicted:
                misses.append({"slug": slug, "expected": expected, "predicted": predicted})
        total = len(documents)
        result[field] = {"accuracy": (total - len(misses)) / total if total else 0.0, "n": total, "misses": misses}
    return result


def format_metadata_report(results: dict[str, dict], show_misses: int = 5) -> str:
    """results: form → evaluate_metadata(...) output."""
    forms = list(results)
    lines = ["field          " + "".join(f"{form:>8}" for form in forms)]
    for field in FIELDS:
        lines.append(f"{field:<15}" + "".join(f"{results[form][field]['accuracy']:>8.3f}" for form in forms))
    lines.append("documents      " + "".join(f"{results[form]['region']['n']:>8}" for form in forms))
    for form in forms:
        for field in FIELDS:
            for miss in results[form][field]["misses"][:show_misses]:
                lines.append(f"  {form} {field} {miss['slug']}: expected {miss['expected']!r}, got {miss['predicted']!r}")
    return "\n".join(lines) + "\n"
