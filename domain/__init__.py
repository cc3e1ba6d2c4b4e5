"""The school's model and its rules, free of any framework."""
