"""Letters to customers and staff about tickets, and the tenant's templates for them."""
