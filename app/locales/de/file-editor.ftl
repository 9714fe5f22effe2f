## The file editor: text with search, and server.properties as a form.

file-editor-no-such-server = Diesen Server gibt es nicht.
file-editor-opening = Datei wird geöffnet…
file-editor-back = ← Dateien
file-editor-download-instead = Stattdessen herunterladen
file-editor-saved = Gespeichert.
file-editor-reloaded = Von der Festplatte neu geladen.
file-editor-leave = Ohne Speichern der Änderungen verlassen?
file-editor-unsaved = Ungespeicherte Änderungen
file-editor-tab-settings = Einstellungen
file-editor-tab-text = Text
file-editor-save = Speichern
file-editor-saving = Wird gespeichert…
file-editor-changed = Diese Datei wurde auf der Festplatte geändert, seit sie geöffnet wurde.
file-editor-load-disk = Version von der Festplatte laden
file-editor-overwrite = Mit meiner überschreiben
file-editor-find = In Datei suchen
file-editor-next = Weiter
file-editor-not-found = Nicht gefunden
file-editor-content = Dateiinhalt
file-editor-on = An
file-editor-off = Aus
file-editor-props-note = Andere Schlüssel und Kommentare in der Datei bleiben unverändert; sie lassen sich im Tab „Text“ bearbeiten. Der Server liest diese Datei beim Start: für Änderungen neu starten.
