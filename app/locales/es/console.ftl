## The console: its bar, the command line and the hints it shows for console lines.

console-throttled = … { $count ->
        [one] { $count } línea omitida
       *[other] { $count } líneas omitidas
    }: el servidor escribe más rápido de lo que la consola muestra
console-not-connected = Sin conexión: el comando no se envió.
console-connecting = Conectando…
console-reconnecting = Conexión perdida. Reconectando en { $seconds } s…
console-disconnected = Desconectado: { $reason }
console-live = En vivo
console-uptime = activo { $uptime }
console-players = { $count } en línea
console-memory = { $mib } MiB
console-cpu = { $cpu } CPU
console-find = Buscar
console-find-label = Buscar en la consola
console-find-none = ninguna
console-copy = Copiar
console-copy-title = Copiar toda la consola
console-new-lines = ↓ { $count ->
        [one] { $count } línea nueva
       *[other] { $count } líneas nuevas
    }
console-readonly = Esta consola se puede ver, pero no se permite escribir en ella.
console-command-placeholder = Escribir un comando
console-command = Comando de consola
console-recall = Comando anterior
console-send = Enviar
console-java-title = Este servidor necesita Java { $needs } o posterior.
console-java-text = El juego o un mod se compiló para Java { $needs } y la imagen del servidor tiene una versión anterior. Una plantilla con la imagen itzg/minecraft-server:{ $tag } lo ejecuta: un administrador puede exportar la plantilla de este servidor, cambiar su imagen a esa etiqueta e importarla.
console-eula-title = El EULA de Mojang no está aceptado para este servidor.
console-eula-before = Los servidores de Minecraft solo se ejecutan cuando su propietario lo acepta:
console-eula-link = leer el EULA
console-eula-after = . Aceptarlo detiene el servidor, escribe eula=true en su eula.txt y lo vuelve a iniciar.
console-eula-accepted = Aceptado; el servidor se está iniciando.
console-eula-stopping = Deteniendo el servidor…
console-eula-writing = Escribiendo eula.txt…
console-eula-starting = Iniciando el servidor…
console-eula-accept = Acepto el EULA
