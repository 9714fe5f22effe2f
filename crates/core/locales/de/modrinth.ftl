## Modrinth's API (crates/core/src/modrinth.rs).

modrinth-not-found = Dieses Projekt oder diese Version gibt es auf Modrinth nicht.
modrinth-rate-limited = Modrinth bittet das Panel, langsamer zu werden: { $secs ->
    [one] in einer Sekunde
   *[other] in { $secs } Sekunden
} erneut versuchen.
modrinth-failed = Modrinth war nicht erreichbar oder ist fehlgeschlagen: { $why }
# reasons in modrinth-failed
modrinth-forbidden = Modrinth hat mit 403 Forbidden geantwortet
modrinth-file-elsewhere = Die Datei liegt weder auf dem CDN von Modrinth noch auf dem Host der eingestellten API
modrinth-file-too-large = Die Datei ist größer als { $max } MiB
