"""Every write of the risk register. Keyword-only, typed; the outermost caller owns the
transaction (GraphQL's run_service, the import, a task); functions here may nest atomics."""
