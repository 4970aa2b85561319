"""Departments: the categories tickets are sorted into, and who may do what in each."""
