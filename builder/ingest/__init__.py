"""`briefings ingest`: raw source articles (text dumps, saved HTML) → draft briefings.

read (run.py) → extract (extract_text.py, extract_html.py, dates.py) → find (figures.py,
regions_match.py, mentions.py, labels.py) → draft (draft.py) → write or report (run.py).
"""
