## Webhooks, a server's or the panel's: the list, the delivery log and the form to add one.

webhooks-title = Webhooks
webhooks-panel-title = Los webhooks del panel
webhooks-intro = Avisar a Discord o a cualquier servicio cuando este servidor se inicia, se detiene, se cae, hace una copia de seguridad o entra un jugador.
webhooks-panel-intro = Reciben avisos de todos los servidores. El propietario de un servidor añade los suyos en su página.
webhooks-secret-before = Las entregas JSON se firman con este secreto (la cabecera{ " " }
webhooks-secret-after = ); hay que copiarlo ahora, no se volverá a mostrar:
webhooks-loading = Cargando webhooks…
webhooks-empty = Aún no hay webhooks.
webhooks-add-title = Añadir un webhook
webhooks-name = Nombre
webhooks-name-placeholder = Discord #estado
webhooks-address = Dirección
webhooks-discord = Webhook de un canal de Discord (si no, JSON firmado)
webhooks-events = Avisar cuando
webhooks-add = Añadir webhook
webhooks-adding = Añadiendo…
webhooks-format-json = JSON firmado
webhooks-off = desactivado
webhooks-test = Enviar una prueba
webhooks-deliveries = Entregas
webhooks-hide-deliveries = Ocultar entregas
webhooks-turn-off = Desactivar
webhooks-turn-on = Activar
webhooks-delete = Eliminar
webhooks-refresh = Actualizar
webhooks-nothing-sent = Aún no se ha enviado nada.
webhooks-state-delivered = entregada
webhooks-state-pending = por reintentar
webhooks-state-failed = fallida
webhooks-answered = respondió { $status }
webhooks-attempts = { $count } { $count ->
        [one] intento
       *[other] intentos
    }
