"""The platform operator's console (/operator/) and commands: tenants and balances, the plan
and add-on catalog, suspension, job queues, data exports, the platform's audit log.

It sits with the factory, above the areas, because a tenant's export reads every area's
tables. The operator is never a tenant's staff member, and tenant staff never reach it.
"""
