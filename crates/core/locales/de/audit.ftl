## Reading the audit log.

audit-filter-too-long = Der Aktionsfilter hat höchstens 64 Zeichen.
audit-server-not-found = Server nicht gefunden.
