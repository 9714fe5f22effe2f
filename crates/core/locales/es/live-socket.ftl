## A server's console over a websocket: refusals of what the browser sends.

live-socket-no-such-server = Ese servidor no existe.
live-socket-too-many-messages = Más despacio: demasiados mensajes.
live-socket-json-text = Los mensajes son texto JSON.
live-socket-too-long = Los mensajes tienen como máximo { $max } bytes.
live-socket-not-understood = Ese mensaje no se entiende.
live-socket-too-many-commands = Más despacio: demasiados comandos.
live-socket-not-running = El servidor no está en marcha: iniciarlo para usar la consola.
