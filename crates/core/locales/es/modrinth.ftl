## Modrinth's API (crates/core/src/modrinth.rs).

modrinth-not-found = Modrinth no tiene ese proyecto o versión.
modrinth-rate-limited = Modrinth pide al panel que vaya más despacio: se puede volver a intentar en { $secs ->
    [one] { $secs } segundo
   *[other] { $secs } segundos
}.
modrinth-failed = No se pudo contactar con Modrinth o falló: { $why }
# reasons in modrinth-failed
modrinth-forbidden = respondió 403 Forbidden
modrinth-file-elsewhere = el archivo no está ni en el CDN de Modrinth ni en el host de la API configurada
modrinth-file-too-large = el archivo supera los { $max } MiB
