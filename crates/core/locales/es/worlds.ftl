## Kept worlds: deleting one for good.

worlds-token-scope = El alcance de este token de API no incluye borrar (delete).
worlds-not-found = No existe ese mundo.
