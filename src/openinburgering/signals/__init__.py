"""Signals in: DUO events and COA koppelingen become (changes to) client files, with history and audit."""
