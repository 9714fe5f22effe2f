## Templates: checking a template document (its reasons go into templates-invalid) and importing it.

templates-check-slug = slug: de 1 a 32 letras minúsculas, dígitos o guiones
templates-check-image = image: obligatorio, sin espacios
templates-check-data-path = data_path: una ruta absoluta sin ..
templates-check-game-port = game_port: de 1 a 65535
templates-check-stop-timeout = stop_timeout_secs: de 5 a 3600
templates-check-started-pattern = started_pattern: no es una expresión regular válida
templates-check-variable-name = variable { $name }: los nombres son letras mayúsculas (UPPER_CASE), dígitos y _
templates-check-variable-duplicate = variable { $name }: repetida o reservada
templates-check-variable-label = variable { $name }: una etiqueta tiene de 1 a 64 caracteres
templates-check-variable-rule = variable { $name }: la regla no es una expresión regular válida
templates-check-console = console: un comando exec debe contener { "{command}" }
templates-check-extra-ports-max = extra_ports: como máximo { $max }
templates-check-extra-port-name = puerto adicional { $name }: los nombres tienen de 1 a 15 letras minúsculas, dígitos o guiones y empiezan por una letra
templates-check-extra-port-taken = puerto adicional { $name }: el nombre ya está en uso
templates-check-extra-port-number = puerto adicional { $name }: de 1 a 65535
templates-check-extra-port-twice = puerto adicional { $name }: { $port }/{ $protocol } está declarado dos veces
templates-document-invalid = El documento de la plantilla no es válido: { $reason }
templates-invalid = La plantilla no es válida: { $reason }.
templates-name-description = El nombre (de 1 a 64 caracteres) y la descripción (hasta 500) son obligatorios.
