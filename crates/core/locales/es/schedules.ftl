## A server's schedules: why one is refused as it is saved.

schedules-cron-fields = La hora de una programación son los cinco campos de cron (minuto hora día mes día-de-la-semana), como "0 4 * * *"; aquí hay { $fields }.
schedules-cron-invalid = No se entiende ese cron: { $error }.
schedules-zone-invalid = "{ $zone }" no es una zona horaria; usar una como Europe/Berlin o UTC.
schedules-name-invalid = El nombre de una programación ocupa una sola línea y tiene de 1 a 64 caracteres.
schedules-idle-invalid = Un disparador por inactividad espera de 1 a 1440 minutos sin jugadores.
schedules-tasks-count = Una programación tiene de 1 a { $max } tareas.
schedules-task-wait = La tarea { $n } espera como máximo { $minutes } minutos.
schedules-task-error = Tarea { $n }: { $error }
schedules-task-paths = La tarea { $n } elimina de 1 a { $max } rutas.
schedules-task-root = Tarea { $n }: no se puede eliminar la carpeta del propio servidor.
schedules-pattern-length = Un patrón de consola tiene de 1 a 200 caracteres.
schedules-pattern-invalid = Ese patrón de consola no es una expresión regular: { $error }
schedules-task-forbidden = Las tareas de una programación actúan con los permisos de quien la guarda: falta el permiso { $permission } en este servidor.
schedules-not-found = No existe esa programación.
schedules-name-taken = El servidor ya tiene una programación con ese nombre.
