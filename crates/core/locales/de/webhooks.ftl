## Webhooks, a server's or the panel's: adding, changing and testing them.

webhooks-not-found = Webhook nicht gefunden.
webhooks-name-invalid = Dem Webhook einen Namen mit 1 bis 64 Zeichen geben.
webhooks-no-events = Mindestens ein Ereignis auswählen, über das benachrichtigt wird.
webhooks-too-many = Höchstens { $max } Webhooks: zuerst einen löschen.
webhooks-tests-waiting = Frühere Zustellungen dieses Webhooks warten noch; erneut versuchen, sobald sie durch sind.
