"""Reports: ticket figures per day, week or month, their breakdowns, a forecast, staff
activity statistics and the admin dashboard's figures."""
