"""Tests of the rules module: pure Python, no Django and no database."""
