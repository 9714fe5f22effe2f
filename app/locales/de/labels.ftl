## What each permission allows, and the webhook events.

labels-perm-view = Den Server sehen
labels-perm-console-read = Konsole und Werte sehen
labels-perm-console-write = Befehle in die Konsole eingeben
labels-perm-control-start = Den Server starten
labels-perm-control-stop = Den Server stoppen
labels-perm-control-restart = Den Server neu starten
labels-perm-control-kill = Den Server hart beenden
labels-perm-files-read = Dateien durchsuchen und herunterladen
labels-perm-files-write = Dateien bearbeiten, hochladen, umbenennen, packen und entpacken
labels-perm-files-delete = Dateien löschen
labels-perm-settings = Einstellungen und Tarif ändern
labels-perm-members = Mitglieder hinzufügen und entfernen (nie über die eigenen Rechte hinaus)
labels-perm-backups = Backups anlegen, wiederherstellen und löschen
labels-perm-schedules = Zeitpläne anlegen, ändern und ausführen (Aufgaben im Rahmen der eigenen Rechte)
labels-perm-players = Whitelist und Sperren verwalten, Spieler kicken (Operatoren brauchen auch Konsolenzugriff)
labels-perm-mods = Mods und Plugins suchen, installieren und entfernen
labels-perm-delete = Den Server löschen
labels-event-started = Gestartet
labels-event-stopped = Gestoppt
labels-event-crashed = Abgestürzt
labels-event-backup-done = Backup fertig
labels-event-backup-failed = Backup fehlgeschlagen
labels-event-player-joined = Spieler beigetreten
labels-event-test = Test
