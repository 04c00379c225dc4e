"""Internal audit (ISO 9001 clause 9.2): the yearly programme, audits per unit, checklists and findings."""
