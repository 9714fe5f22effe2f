## Uploads: the progress list of the files page and its errors.

upload-unsupported = Dieser Browser kann nicht hochladen.
upload-interrupted = Das Hochladen wurde unterbrochen.
upload-failed = Das Hochladen ist fehlgeschlagen ({ $status }).
upload-not-started = Das Hochladen konnte nicht beginnen.
upload-percent = { $percent } %
upload-done = Hochgeladen
upload-clear = Abgeschlossene entfernen
