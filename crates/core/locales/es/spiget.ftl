## SpigotMC's resources through Spiget (crates/core/src/spiget.rs).

spiget-not-found = SpigotMC no tiene ese recurso.
spiget-rate-limited = Spiget pide al panel que vaya más despacio: se puede volver a intentar en { $secs ->
    [one] { $secs } segundo
   *[other] { $secs } segundos
}.
spiget-forbidden = Spiget rechazó al panel (403).
spiget-failed = No se pudo contactar con Spiget o falló: { $why }
spiget-premium = { $name } es un recurso premium: SpigotMC lo vende y solo quien lo compra puede descargarlo (hay que subir el archivo en el gestor de archivos).
spiget-external = { $name } no es un archivo de plugin alojado en SpigotMC (enlaza a otro sitio): hay que instalarlo desde allí en el gestor de archivos.
