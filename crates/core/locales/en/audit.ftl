## Reading the audit log.

audit-filter-too-long = Filter actions by at most 64 characters.
audit-server-not-found = No such server.
