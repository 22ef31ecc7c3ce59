"""The family's file: families, members, basis of support, assignments, cases and case signs."""
