## What each permission allows, and the webhook events.

labels-perm-view = Ver el servidor
labels-perm-console-read = Ver la consola y las estadísticas
labels-perm-console-write = Escribir comandos en la consola
labels-perm-control-start = Iniciar el servidor
labels-perm-control-stop = Detener el servidor
labels-perm-control-restart = Reiniciar el servidor
labels-perm-control-kill = Forzar el cierre del servidor
labels-perm-files-read = Explorar y descargar archivos
labels-perm-files-write = Editar, subir, renombrar, comprimir y descomprimir archivos
labels-perm-files-delete = Eliminar archivos
labels-perm-settings = Cambiar la configuración y el plan
labels-perm-members = Añadir y quitar miembros (nunca más allá de sus propios permisos)
labels-perm-backups = Crear, restaurar y eliminar copias de seguridad
labels-perm-schedules = Crear, cambiar y ejecutar programaciones (tareas dentro de sus propios permisos)
labels-perm-players = Gestionar la lista blanca y los baneos, expulsar jugadores (los operadores también necesitan escribir en la consola)
labels-perm-mods = Buscar, instalar y quitar mods y plugins
labels-perm-delete = Eliminar el servidor
labels-event-started = Iniciado
labels-event-stopped = Detenido
labels-event-crashed = Caído
labels-event-backup-done = Copia de seguridad hecha
labels-event-backup-failed = Copia de seguridad fallida
labels-event-player-joined = Jugador conectado
labels-event-test = Prueba
