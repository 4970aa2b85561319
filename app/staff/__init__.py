"""Staff: the people who work the help desk, their roles and department rights."""
