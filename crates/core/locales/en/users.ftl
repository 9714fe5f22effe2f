## Administrators managing users: quotas and missing users.

users-server-quota-range = The server quota is from 0 to { $max }.
users-memory-quota-range = The memory quota is from 0 to { $max }.
users-disk-quota-range = The disk quota is from 0 to { $max }.
users-not-found = No such user.
