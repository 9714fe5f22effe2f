## The console: its bar, the command line and the hints it shows for console lines.

console-throttled = … { $count } lines left out: the server prints faster than the console shows
console-not-connected = Not connected: the command was not sent.
console-connecting = Connecting…
console-reconnecting = Connection lost. Reconnecting in { $seconds } s…
console-disconnected = Disconnected: { $reason }
console-live = Live
console-uptime = up { $uptime }
console-players = { $count } online
console-memory = { $mib } MiB
console-cpu = { $cpu } CPU
console-find = Find
console-find-label = Find in the console
console-find-none = none
console-copy = Copy
console-copy-title = Copy the whole console
console-new-lines = ↓ { $count } new lines
console-readonly = You can watch this console; typing is not allowed for you.
console-command-placeholder = Type a command
console-command = Console command
console-recall = Previous command
console-send = Send
console-java-title = This server needs Java { $needs } or later.
console-java-text = The game or a mod was built for Java { $needs }, and the server's image has an older one. A template on the image itzg/minecraft-server:{ $tag } runs it: an administrator can export this server's template, change its image to that tag and import it.
console-eula-title = Mojang's EULA is not accepted for this server.
console-eula-before = Minecraft servers run only once their owner accepts it:
console-eula-link = read the EULA
console-eula-after = . Accepting stops it, writes eula=true into its eula.txt and starts it again.
console-eula-accepted = Accepted; the server is starting.
console-eula-stopping = Stopping the server…
console-eula-writing = Writing eula.txt…
console-eula-starting = Starting the server…
console-eula-accept = I accept the EULA
