"""Document control: register, view, edit, submit, approve/issue, withdraw, history, diff."""
