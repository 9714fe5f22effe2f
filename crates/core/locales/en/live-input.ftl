## Console input: checking a command and delivering it to the server.

live-input-empty = Type a command first.
live-input-too-long = Commands are at most { $max } bytes.
live-input-one-line = Commands are one line, without control characters.
live-input-looks-like-an-option = On this server, console commands cannot start with "-".
live-input-not-delivered = The command could not be delivered: { $error }
live-input-timed-out = The server did not take the command in time.
