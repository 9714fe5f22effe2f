## The standard message of each kind of error, which crates without the catalogue write in English.

errors-internal = Algo salió mal en el servidor. Se ha registrado; inténtalo de nuevo.
errors-unauthenticated = No hay sesión iniciada, o la sesión ha terminado. Inicia sesión.
errors-unavailable = La base de datos del panel no está disponible por un momento (puede estar cambiando a una réplica). Vuelve a intentarlo en breve; si estabas cambiando algo, comprueba antes si se hizo.
errors-files-need-running = El servidor está arrancando o deteniéndose: sus archivos se abren cuando termine.
