"""Outputs besides the PDFs that :mod:`builder.build` writes: the Word editions
(:mod:`builder.outputs.docx`, with their fixed parts in
:mod:`builder.outputs.wordml` and their read-back in
:mod:`builder.outputs.docx_read`), made from the same HTML as the PDFs; and
the live preview (:mod:`builder.outputs.preview`), a local web server that
shows each edition as the build renders it."""
