"""RULES.md §8 scenarios as whole conversations, and the pack of a finished claim."""
