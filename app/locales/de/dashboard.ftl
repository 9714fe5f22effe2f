## The dashboard: the servers list and the kept worlds.

dashboard-title = Server
dashboard-new-server = Neuer Server
dashboard-empty-title = Noch keine Server
dashboard-empty-text = Einen erstellen: Vorlage und Tarif wählen, dann startet er im Cluster.
dashboard-kept-title = Aufbewahrte Welten
dashboard-kept-text = Welten gelöschter Server. Ein Server mit demselben Namen bekommt seine Welt zurück; bis dahin zählt jede zum Speicherkontingent.
dashboard-kept-line = { $disk } GiB · aufbewahrt am { $when } · { $owner }
dashboard-kept-expires = wird am { $when } endgültig gelöscht
dashboard-delete-confirm = Dateien endgültig löschen
dashboard-keep = Behalten
dashboard-delete = Endgültig löschen
