"""The start page and the gemeente/role switch: the shell above the domain apps (it reads their selectors), so
that ``core`` stays at the bottom and imports none of them (#11)."""
