"""Outputs besides the PDFs that :mod:`builder.build` writes: the live preview
(:mod:`builder.outputs.preview`), a local web server that shows each edition
as the build renders it."""
