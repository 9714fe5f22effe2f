## Webhooks, a server's or the panel's: the list, the delivery log and the form to add one.

webhooks-title = Webhooks
webhooks-panel-title = Die Webhooks des Panels
webhooks-intro = Discord oder einen anderen Dienst benachrichtigen, wenn dieser Server startet, stoppt, abstürzt, ein Backup anlegt oder ein Spieler beitritt.
webhooks-panel-intro = Benachrichtigt über jeden Server. Der Besitzer eines Servers fügt eigene auf dessen Seite hinzu.
webhooks-secret-before = JSON-Zustellungen werden mit diesem Schlüssel signiert (Header{ " " }
webhooks-secret-after = ); jetzt kopieren, er wird nicht noch einmal angezeigt:
webhooks-loading = Webhooks werden geladen…
webhooks-empty = Noch keine Webhooks.
webhooks-add-title = Webhook hinzufügen
webhooks-name = Name
webhooks-name-placeholder = Discord #status
webhooks-address = Adresse
webhooks-discord = Webhook eines Discord-Kanals (sonst signiertes JSON)
webhooks-events = Benachrichtigen, wenn
webhooks-add = Webhook hinzufügen
webhooks-adding = Wird hinzugefügt…
webhooks-format-json = signiertes JSON
webhooks-off = aus
webhooks-test = Test senden
webhooks-deliveries = Zustellungen
webhooks-hide-deliveries = Zustellungen ausblenden
webhooks-turn-off = Ausschalten
webhooks-turn-on = Einschalten
webhooks-delete = Löschen
webhooks-refresh = Aktualisieren
webhooks-nothing-sent = Noch nichts gesendet.
webhooks-state-delivered = zugestellt
webhooks-state-pending = neuer Versuch folgt
webhooks-state-failed = fehlgeschlagen
webhooks-answered = Antwort { $status }
webhooks-attempts = { $count } { $count ->
        [one] Versuch
       *[other] Versuche
    }
