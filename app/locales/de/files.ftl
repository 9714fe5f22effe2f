## The files page: the folder list, its tools and dialogs.

files-no-such-server = Diesen Server gibt es nicht.
files-back = ← Server
files-crumbs = Ordner
files-new-folder = Neuer Ordner
files-new-file = Neue Datei
files-upload = Hochladen
files-replace = Ersetzen
files-sort-by = Sortieren nach
files-name = Name
files-size = Größe
files-modified = Geändert
files-mode = Modus
files-reverse = Reihenfolge umkehren
files-selected = { $count } ausgewählt
files-pack-open = Packen…
files-delete-open = Löschen…
files-clear = Auswahl aufheben
files-reading = Ordner wird gelesen…
files-select-all = Alle auswählen
files-empty = Dieser Ordner ist leer. Dateien hierher ziehen, um sie hochzuladen.
files-truncated = { $count ->
        [one] { $count } weiterer Eintrag wird nicht angezeigt.
       *[other] { $count } weitere Einträge werden nicht angezeigt.
    }
files-select-entry = { $name } auswählen
files-odd-name = Dieser Name ist kein gültiger Text; über die Konsole umbenennen.
files-actions = Aktionen für { $name }
files-rename-move = Umbenennen / verschieben
files-copy = Kopieren
files-download = Herunterladen
files-unpack = Hier entpacken
files-permissions = Berechtigungen
files-delete = Löschen
files-created = { $path } erstellt.
files-moved = Nach { $path } verschoben.
files-copied = Nach { $path } kopiert.
files-mode-set = Berechtigungen auf { $mode } gesetzt.
files-deleted = { $count ->
        [one] { $count } Eintrag gelöscht.
       *[other] { $count } Einträge gelöscht.
    }
files-packed = In { $archive } gepackt.
files-unpacked = Entpackt: { $names }.
files-copy-name = { $name } Kopie
files-archive-name-default = archiv
files-rename-title = Umbenennen oder verschieben (ein Pfad verschiebt)
files-copy-title = Kopieren nach
files-mode-title = Berechtigungen (oktal, z. B. 644)
files-archive-name = Name des Archivs
files-create = Erstellen
files-rename = Umbenennen
files-set = Setzen
files-pack = Packen
files-mode-invalid = Berechtigungen sind drei Oktalziffern, 000 bis 777.
files-delete-one = { $name } löschen? Ordner werden mit ihrem gesamten Inhalt gelöscht. Das lässt sich nicht rückgängig machen.
files-delete-many = Diese { $count } Einträge löschen? Ordner werden mit ihrem gesamten Inhalt gelöscht. Das lässt sich nicht rückgängig machen.
files-working = In Arbeit…
files-cancel = Abbrechen
files-stopped-title = Der Server startet oder stoppt
files-stopped-text = Seine Dateien öffnen sich, sobald er so weit ist: im laufenden Server oder, wenn er gestoppt ist, in einem kleinen Pod, der seine Welt hält.
files-waiting = Warten…
files-name-empty = Ein Name darf nicht leer sein.
files-name-dots = „{ $name }“ ist als Name nicht erlaubt.
files-name-long = Namen haben höchstens { $max } Bytes.
files-name-slash = Ein Name darf kein „/“ enthalten.
files-name-control = Namen dürfen keine Steuerzeichen wie Zeilenumbrüche enthalten.
files-path-long = Pfade haben höchstens { $max } Bytes.
files-path-dotdot = Pfade dürfen kein „..“ enthalten: Sie bleiben im Ordner des Servers.
