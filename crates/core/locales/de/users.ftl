## Administrators managing users: quotas and missing users.

users-server-quota-range = Das Server-Kontingent liegt zwischen 0 und { $max }.
users-memory-quota-range = Das Arbeitsspeicher-Kontingent liegt zwischen 0 und { $max }.
users-disk-quota-range = Das Speicherkontingent liegt zwischen 0 und { $max }.
users-not-found = Benutzer nicht gefunden.
