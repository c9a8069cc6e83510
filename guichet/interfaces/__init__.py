"""The interfaces: each turns requests into calls to the domain's services and renders the
answer. They never import one another (import-linter, pyproject.toml)."""
