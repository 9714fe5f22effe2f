## The console: its bar, the command line and the hints it shows for console lines.

console-throttled = … { $count ->
        [one] { $count } Zeile ausgelassen
       *[other] { $count } Zeilen ausgelassen
    }: Der Server schreibt schneller, als die Konsole anzeigt
console-not-connected = Nicht verbunden: Der Befehl wurde nicht gesendet.
console-connecting = Verbinden…
console-reconnecting = Verbindung verloren. Neuer Versuch in { $seconds } s…
console-disconnected = Getrennt: { $reason }
console-live = Live
console-uptime = läuft seit { $uptime }
console-players = { $count } online
console-memory = { $mib } MiB
console-cpu = { $cpu } CPU
console-find = Suchen
console-find-label = In der Konsole suchen
console-find-none = keine
console-copy = Kopieren
console-copy-title = Die ganze Konsole kopieren
console-new-lines = ↓ { $count ->
        [one] { $count } neue Zeile
       *[other] { $count } neue Zeilen
    }
console-readonly = Diese Konsole kann mitgelesen werden; Eingaben sind nicht erlaubt.
console-command-placeholder = Befehl eingeben
console-command = Konsolenbefehl
console-recall = Vorheriger Befehl
console-send = Senden
console-java-title = Dieser Server braucht Java { $needs } oder neuer.
console-java-text = Das Spiel oder ein Mod wurde für Java { $needs } gebaut, und das Image des Servers hat eine ältere Version. Eine Vorlage mit dem Image itzg/minecraft-server:{ $tag } führt ihn aus: Ein Administrator kann die Vorlage dieses Servers exportieren, ihr Image auf diesen Tag ändern und sie importieren.
console-eula-title = Mojangs EULA ist für diesen Server nicht akzeptiert.
console-eula-before = Minecraft-Server laufen erst, wenn ihr Betreiber sie akzeptiert:
console-eula-link = EULA lesen
console-eula-after = . Beim Akzeptieren wird der Server gestoppt, eula=true in seine eula.txt geschrieben und er wieder gestartet.
console-eula-accepted = Akzeptiert; der Server startet.
console-eula-stopping = Server wird gestoppt…
console-eula-writing = eula.txt wird geschrieben…
console-eula-starting = Server wird gestartet…
console-eula-accept = Ich akzeptiere die EULA
