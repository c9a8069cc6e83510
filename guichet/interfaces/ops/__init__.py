"""Operations' endpoints: liveness, readiness and Prometheus metrics (issue 16,
docs/operations.md « Santé et métriques »). No page, no session, no personal data."""
