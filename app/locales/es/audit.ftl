## The activity (audit log) page.

audit-title = Actividad
audit-server = Servidor
audit-all-servers = Todos los servidores
audit-action-placeholder = Acción (file., server.power…)
audit-action = Acción
audit-filter = Filtrar
audit-system = sistema
audit-on-server = en { $server }
audit-ok = correcto
audit-empty = Aún no hay nada registrado.
audit-older = Entradas anteriores
