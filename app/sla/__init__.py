"""SLA: business hours, holidays, targets per priority, and due times on every ticket."""
