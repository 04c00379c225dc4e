"""Quality objectives: the yearly plan, indicators, tasks, periodic unit reports and the Office's consolidation."""
