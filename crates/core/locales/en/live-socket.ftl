## A server's console over a websocket: refusals of what the browser sends.

live-socket-no-such-server = No such server.
live-socket-too-many-messages = Slow down: too many messages.
live-socket-json-text = Messages are JSON text.
live-socket-too-long = Messages are at most { $max } bytes.
live-socket-not-understood = That message is not understood.
live-socket-too-many-commands = Slow down: too many commands.
live-socket-not-running = The server is not running: start it to use the console.
