"""Outbox handlers of this app register themselves here (imported from InteropConfig.ready)."""
