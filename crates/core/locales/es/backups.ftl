## A server's backups: making, restoring, downloading and deleting them, and why that is refused.

backups-not-set-up = Las copias de seguridad no están configuradas en este panel: el operador les asigna un repositorio (PANEL_BACKUP_REPOSITORY).
backups-not-found = No existe esa copia de seguridad.
backups-only-finished-restored = Solo se puede restaurar una copia de seguridad terminada.
backups-only-finished-downloaded = Solo se puede descargar una copia de seguridad terminada.
backups-exclude-too-many = Omitir como máximo { $max } patrones.
backups-exclude-invalid = Un patrón ocupa una sola línea y 200 caracteres como máximo: { $pattern } no lo cumple.
backups-name-invalid = El nombre de una copia de seguridad ocupa una sola línea y tiene de 1 a 64 caracteres.
backups-not-changed-version = No se cambió la versión: la copia de seguridad previa no pudo iniciarse ({ $error }).
backups-not-changed-type = No se cambió el tipo de servidor: la copia de seguridad previa no pudo iniciarse ({ $error }).
backups-not-changed-modpack = No se cambió el modpack: la copia de seguridad previa no pudo iniciarse ({ $error }).
backups-not-changed-mod-list = No se cambió la lista de mods: la copia de seguridad previa no pudo iniciarse ({ $error }).
backups-not-changed = No se cambió ({ $what }): la copia de seguridad previa no pudo iniciarse ({ $error }).
backups-before-change-running = La copia de seguridad previa a este cambio sigue en curso; volver a intentarlo cuando termine.
backups-being-restored = El servidor se está restaurando; hay que esperar.
backups-space-full = El plan guarda como máximo { $max } GiB de copias de seguridad por servidor y las de este servidor ocupan { $used } GiB: eliminar una primero.
backups-plan-none = El plan del servidor no guarda copias de seguridad.
backups-all-locked = { $limit ->
    [one] El plan guarda { $limit } copia de seguridad y está bloqueada: desbloquearla o eliminarla primero.
   *[other] El plan guarda { $limit } copias de seguridad y todas están bloqueadas: desbloquear o eliminar una primero.
}
backups-already-running = Ya hay una copia de seguridad de este servidor en curso.
backups-job-busy = otra copia de seguridad o restauración de este mundo está en curso
backups-job-file-manager = el pod del gestor de archivos no se detuvo: { $error }
backups-job-refused = el clúster rechazó el trabajo: { $error }
backups-job-too-long = el trabajo tardó más de seis horas
backups-job-stuck = el pod del trabajo no puede ejecutarse: { $reason }
backups-job-gone = el pod del trabajo fue eliminado
backups-locked = La copia de seguridad está bloqueada: desbloquearla primero.
backups-still-running = La copia de seguridad sigue en curso.
backups-exit-code = código { $code }
backups-remove-refused = No se pudo quitar la copia de seguridad del repositorio ({ $error }); no se cambió nada.
backups-remove-failed = No se pudo quitar la copia de seguridad: { $error }. No se cambió nada.
backups-running-wait = Hay una copia de seguridad de este servidor en curso; hay que esperar.
backups-already-restoring = El servidor ya se está restaurando.
backups-busy = Hay una copia de seguridad o restauración de este servidor en curso; volver a intentarlo cuando termine.
backups-download-not-started = La descarga no pudo iniciarse en el clúster; volver a intentarlo.
