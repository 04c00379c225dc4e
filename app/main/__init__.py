"""Home page (my tasks) and language switch."""
