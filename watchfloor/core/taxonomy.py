"""The event categories (the data contract's slugs) and the report headings they read as."""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "military_activity": "Military Activities and Exercises",
    "defense_policy": "Defense Policy and Strategic Shifts",
    "diplomacy": "Diplomatic Relations",
    "cybersecurity": "Cybersecurity",
    "internal_security": "Internal Security and Public Order",
    "armed_conflict": "Armed Conflict and Terrorism",
    "border_security": "Border and Territorial Security",
    "economic_security": "Economic and Energy Security",
    "humanitarian": "Disasters and Humanitarian Crises",
}


def heading(category: str) -> str:
    """The section heading of a category slug ("diplomacy" -> "Diplomatic Relations")."""
    return CATEGORIES.get(category, category.replace("_", " ").title())
