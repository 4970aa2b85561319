"""Internal mail: staff-to-staff conversations inside a company, about tickets or not."""
