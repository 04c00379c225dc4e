"""The yearly review of every procedure (Objective 4): cycles, unit reviews, compliance, reminders."""
