"""Pure domain: the claim model, parsing, rules and the value objects exchanged with adapters."""
