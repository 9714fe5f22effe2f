## Whitelist, operators and bans (crates/core/src/player_lists.rs).

player-lists-not-online = { $player } no está conectado.
player-lists-not-recorded = El servidor no lo registró; su consola indica el motivo.
# said: the console's last line
player-lists-not-recorded-said = El servidor no lo registró; su consola indica el motivo. Dijo: { $said }
player-lists-stopped-not-online = El servidor está detenido: { $player } no está conectado.
player-lists-online-mode = Este servidor comprueba las cuentas con Mojang (modo online): para añadir a { $player }, hay que iniciarlo y así buscará la cuenta.
# file: whitelist.json, ops.json or banned-players.json; error: what the JSON reader said
player-lists-not-a-list = { $file } no es una lista que el juego pueda leer ({ $error }); hay que repararla en el gestor de archivos.
