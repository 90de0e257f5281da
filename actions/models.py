"""Models of this lifecycle area; see ../shared/DESIGN.md for what lands here."""
