## A server's schedules: why one is refused as it is saved.

schedules-cron-fields = Die Zeit eines Zeitplans sind die fünf Felder von Cron (Minute Stunde Tag Monat Wochentag), etwa „0 4 * * *“; hier sind es { $fields }.
schedules-cron-invalid = Dieser Cron-Ausdruck ist nicht verständlich: { $error }.
schedules-zone-invalid = „{ $zone }“ ist keine Zeitzone; eine wie Europe/Berlin oder UTC verwenden.
schedules-name-invalid = Der Name eines Zeitplans ist einzeilig und 1 bis 64 Zeichen lang.
schedules-idle-invalid = Ein Leerlauf-Auslöser wartet 1 bis 1440 Minuten ohne Spieler.
schedules-tasks-count = Ein Zeitplan hat 1 bis { $max } Aufgaben.
schedules-task-wait = Aufgabe { $n } wartet höchstens { $minutes } Minuten.
schedules-task-error = Aufgabe { $n }: { $error }
schedules-task-paths = Aufgabe { $n } löscht 1 bis { $max } Pfade.
schedules-task-root = Aufgabe { $n }: Der Ordner des Servers selbst kann nicht gelöscht werden.
schedules-pattern-length = Ein Konsolenmuster hat 1 bis 200 Zeichen.
schedules-pattern-invalid = Dieses Konsolenmuster ist kein regulärer Ausdruck: { $error }
schedules-task-forbidden = Die Aufgaben eines Zeitplans handeln mit den Rechten dessen, der ihn speichert: Auf diesem Server fehlt das Recht { $permission }.
schedules-not-found = Zeitplan nicht gefunden.
schedules-name-taken = Der Server hat bereits einen Zeitplan mit diesem Namen.
