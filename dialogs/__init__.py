"""Conversation flows: what the assistant answers to a word or a card action."""
