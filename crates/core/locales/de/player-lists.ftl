## Whitelist, operators and bans (crates/core/src/player_lists.rs).

player-lists-not-online = { $player } ist nicht online.
player-lists-not-recorded = Der Server hat es nicht übernommen; seine Konsole nennt den Grund.
# said: the console's last line
player-lists-not-recorded-said = Der Server hat es nicht übernommen; seine Konsole nennt den Grund. Sie meldet: { $said }
player-lists-stopped-not-online = Der Server ist gestoppt: { $player } ist nicht online.
player-lists-online-mode = Dieser Server prüft Konten bei Mojang (Online-Modus): Zum Hinzufügen von { $player } den Server starten, damit er das Konto nachschlägt.
# file: whitelist.json, ops.json or banned-players.json; error: what the JSON reader said
player-lists-not-a-list = { $file } ist keine Liste, die das Spiel lesen kann ({ $error }); im Dateimanager reparieren.
