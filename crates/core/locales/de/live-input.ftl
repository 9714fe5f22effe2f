## Console input: checking a command and delivering it to the server.

live-input-empty = Zuerst einen Befehl eingeben.
live-input-too-long = Befehle sind höchstens { $max } Bytes lang.
live-input-one-line = Befehle bestehen aus einer Zeile, ohne Steuerzeichen.
live-input-looks-like-an-option = Auf diesem Server dürfen Konsolenbefehle nicht mit „-“ beginnen.
live-input-not-delivered = Der Befehl konnte nicht zugestellt werden: { $error }
live-input-timed-out = Der Server hat den Befehl nicht rechtzeitig angenommen.
