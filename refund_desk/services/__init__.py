"""Use cases that combine the policy core and the store (what a button or a CLI command calls)."""
