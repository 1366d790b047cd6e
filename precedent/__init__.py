"""The `precedent` command line: one entry point over the indexer, the service and the eval."""
