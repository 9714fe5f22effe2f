## The standard message of each kind of error, which crates without the catalogue write in English.

errors-internal = Auf dem Server ist etwas schiefgelaufen. Der Fehler wurde protokolliert; bitte erneut versuchen.
errors-unauthenticated = Nicht angemeldet, oder die Sitzung ist abgelaufen. Bitte anmelden.
errors-unavailable = Die Datenbank des Panels ist kurz nicht erreichbar (vielleicht wechselt sie gerade auf einen Standby). Gleich erneut versuchen; wer gerade etwas geändert hat, prüft zuerst, ob es übernommen wurde.
errors-files-need-running = Der Server startet oder stoppt gerade: Seine Dateien sind erreichbar, sobald er so weit ist.
