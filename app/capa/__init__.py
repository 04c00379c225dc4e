"""Corrective and preventive actions (CAPA): from the finding to the verified close."""
