## A server's members: adding, changing and removing them.

members-no-user = No hay ningún usuario llamado { $username }.
members-owner = { $username } ya es el propietario de este servidor.
members-own-permissions = No se pueden cambiar los permisos propios.
members-grant-lacking = No se puede conceder { $permission } sin tenerlo uno mismo.
members-holds-more = { $username } tiene permisos que la cuenta propia no tiene; consultar al propietario del servidor.
members-not-member = Ese usuario no es miembro de este servidor.
members-member-holds-more = Este miembro tiene permisos que la cuenta propia no tiene; consultar al propietario del servidor.
