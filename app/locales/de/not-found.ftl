## The page for unknown addresses.

not-found-title = Seite nicht gefunden
not-found-text = Unter dieser Adresse gibt es nichts.
not-found-back = Zurück zur Übersicht
