"""shadow-report: structured evidence and recommendations in, UN shadow reports out.

The pipeline, one module per stage:

    project (where things are) → loader (YAML with locations) → model (typed
    content, validated) → references (cross-references) → plan (what each
    mechanism shows, in which order) → render (HTML through Jinja2) → pdf
    (WeasyPrint, restricted resource loading) → build (the whole chain, one
    writer).
"""

from __future__ import annotations

__version__ = "0.1.0"

# Said on Ctrl-C or SIGTERM, whenever it comes: PDFs are written under a
# temporary name and renamed only once complete.
INTERRUPTED = "interrupted; the earlier PDFs are as they were, none was half-written"
