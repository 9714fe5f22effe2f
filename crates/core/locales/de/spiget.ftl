## SpigotMC's resources through Spiget (crates/core/src/spiget.rs).

spiget-not-found = Diese Ressource gibt es auf SpigotMC nicht.
spiget-rate-limited = Spiget bittet das Panel, langsamer zu werden: { $secs ->
    [one] in einer Sekunde
   *[other] in { $secs } Sekunden
} erneut versuchen.
spiget-forbidden = Spiget hat das Panel abgewiesen (403).
spiget-failed = Spiget war nicht erreichbar oder ist fehlgeschlagen: { $why }
spiget-premium = { $name } ist eine Premium-Ressource: SpigotMC verkauft sie, und nur wer sie gekauft hat, kann sie herunterladen (die Datei im Dateimanager hochladen).
spiget-external = { $name } ist keine Plugin-Datei, die SpigotMC bereitstellt (sie verweist auf eine andere Seite): Von dort holen und im Dateimanager installieren.
