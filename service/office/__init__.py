"""The office profile (letterhead, head of office, case-sign pattern) and its filing classes."""
