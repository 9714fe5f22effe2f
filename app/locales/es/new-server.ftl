## Creating a server: name, template, plan, settings.

new-server-title = Servidor nuevo
new-server-name = Nombre
new-server-name-placeholder = supervivencia
new-server-name-hint = Letras minúsculas, dígitos y guiones; hasta 40.
new-server-template = Plantilla
new-server-plan = Plan
new-server-plan-option = { $name } ({ $memory } MiB para Java, { $disk } GiB de disco)
new-server-settings = Ajustes
new-server-creating = Creando…
new-server-create = Crear e iniciar
