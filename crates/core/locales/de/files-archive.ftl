## Packing and unpacking archives; files-archive-refused says why an archive is refused with one of the "it ..." reasons below.

files-archive-choose = Auswählen, was gepackt werden soll.
files-archive-empty = { $path } ist leer.
files-archive-unpack-timeout = Das Entpacken hat zu lange gedauert.
files-archive-too-large = { $path } ist größer als das Limit von { $max } MiB.
files-archive-read-timeout = Das Lesen der Dateien hat zu lange gedauert.
files-archive-refused = { $path } lässt sich nicht entpacken: { $why }. Nichts wurde geändert.
files-archive-absolute = es enthält einen absoluten Pfad ({ $entry })
files-archive-outside = es enthält einen Pfad, der aus dem Ordner hinausführt ({ $entry })
files-archive-drive = es enthält einen Laufwerkspfad ({ $entry })
files-archive-not-zip = es ist kein gültiges Zip ({ $error })
files-archive-damaged = es ist beschädigt ({ $error })
files-archive-not-utf8 = es enthält einen Namen, der kein gültiges UTF-8 ist
files-archive-link = es enthält einen Link ({ $entry }); das Panel entpackt nur Dateien und Ordner
files-archive-unknown = es ist kein Archiv, das das Panel kennt (zip, tar.gz oder tar)
files-archive-special = es enthält ein Gerät oder eine Spezialdatei ({ $entry })
files-archive-too-many = es enthält mehr als { $max } Einträge
files-archive-too-big = entpackt ist es größer als { $max } MiB
files-archive-twice = es enthält { $entry } zweimal
