"""Dossiers (hồ sơ): codes, import, status, follow-ups."""
