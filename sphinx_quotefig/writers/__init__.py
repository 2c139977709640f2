"""Visitors for the quote nodes, one module per output family."""
