"""Jobs: work on many inputs at once (library builds, order batches) with a state file that makes
re-runs incremental, a folder lock, and runners that execute jobs in this process or in a pool."""
