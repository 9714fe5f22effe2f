## Webhooks, a server's or the panel's: adding, changing and testing them.

webhooks-not-found = No existe ese webhook.
webhooks-name-invalid = Dar al webhook un nombre de 1 a 64 caracteres.
webhooks-no-events = Elegir al menos un evento del que avisar.
webhooks-too-many = Como máximo { $max } webhooks: eliminar uno primero.
webhooks-tests-waiting = Entregas anteriores de este webhook siguen esperando; volver a intentarlo cuando terminen.
