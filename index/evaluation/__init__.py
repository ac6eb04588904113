"""Quality measurements: each module scores one kind of data set and prints a report."""
