"""Adapters to systems outside Open Inburgering (DUO, BRP, ZGW, SEPA, CBS). No business rules live here."""
