## CurseForge's API (crates/core/src/curseforge.rs).

curseforge-not-found = CurseForge no tiene ese proyecto o archivo.
curseforge-rate-limited = CurseForge pide al panel que vaya más despacio: se puede volver a intentar en { $secs ->
    [one] { $secs } segundo
   *[other] { $secs } segundos
}.
curseforge-forbidden = CurseForge rechazó al panel: su clave de API es incorrecta o fue revocada, o CurseForge lo está limitando (se puede volver a intentar en un minuto; si persiste, hay que avisar al operador).
curseforge-failed = No se pudo contactar con CurseForge o falló: { $why }
curseforge-not-a-mod = { $name } no es un mod en CurseForge, que es lo que admite este servidor.
curseforge-not-a-plugin = { $name } no es un plugin de Bukkit en CurseForge, que es lo que admite este servidor.
curseforge-own-app-only = El autor de { $name } solo permite descargarlo con la aplicación propia de CurseForge: hay que subir su archivo en el gestor de archivos.
# the reason in curseforge-failed
curseforge-no-key = no hay ninguna clave de API configurada
