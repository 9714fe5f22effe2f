## The page for unknown addresses.

not-found-title = Página no encontrada
not-found-text = No hay nada en esta dirección.
not-found-back = Volver al panel
