## A server's console over a websocket: refusals of what the browser sends.

live-socket-no-such-server = Server nicht gefunden.
live-socket-too-many-messages = Langsamer: zu viele Nachrichten.
live-socket-json-text = Nachrichten sind JSON-Text.
live-socket-too-long = Nachrichten sind höchstens { $max } Bytes lang.
live-socket-not-understood = Diese Nachricht wird nicht verstanden.
live-socket-too-many-commands = Langsamer: zu viele Befehle.
live-socket-not-running = Der Server läuft nicht: Für die Konsole den Server starten.
