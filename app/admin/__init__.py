"""Administration of units and accounts."""
