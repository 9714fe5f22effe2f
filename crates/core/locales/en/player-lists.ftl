## Whitelist, operators and bans (crates/core/src/player_lists.rs).

player-lists-not-online = { $player } is not online.
player-lists-not-recorded = The server did not record it; its console says why.
# said: the console's last line
player-lists-not-recorded-said = The server did not record it; its console says why. It said: { $said }
player-lists-stopped-not-online = The server is stopped: { $player } is not online.
player-lists-online-mode = This server checks accounts with Mojang (online mode): start it to add { $player }, so that it looks the account up.
# file: whitelist.json, ops.json or banned-players.json; error: what the JSON reader said
player-lists-not-a-list = { $file } is not a list the game can read ({ $error }); mend it in the file manager.
