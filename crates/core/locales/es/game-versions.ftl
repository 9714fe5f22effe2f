## The game versions a server can run: reading the publishers' lists.

game-versions-unreadable = No se pudo leer la lista de versiones: { $reason }
game-versions-rate-limited = La lista de versiones pide al panel que vaya más despacio: volver a intentarlo en un minuto.
game-versions-status = respondió { $status }
game-versions-too-large = la respuesta es demasiado grande
game-versions-unknown-shape = una respuesta con un formato desconocido ({ $reason })
game-versions-no-version = La plantilla de este servidor no tiene una VERSION que elegir.
game-versions-no-type = La plantilla de este servidor no indica ningún tipo de servidor (TYPE), así que el panel no conoce ninguna lista de sus versiones.
