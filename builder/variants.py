"""The PDF standards WeasyPrint writes that a build may ask for."""

# Tagged, accessible PDF by default; the others WeasyPrint writes are options.
DEFAULT_VARIANT = "pdf/ua-1"
VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u",
            "pdf/a-3u", "pdf/a-4u", "none")
