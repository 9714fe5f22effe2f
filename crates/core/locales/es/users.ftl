## Administrators managing users: quotas and missing users.

users-server-quota-range = La cuota de servidores va de 0 a { $max }.
users-memory-quota-range = La cuota de memoria va de 0 a { $max }.
users-disk-quota-range = La cuota de disco va de 0 a { $max }.
users-not-found = No existe ese usuario.
