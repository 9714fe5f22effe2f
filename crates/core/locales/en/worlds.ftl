## Kept worlds: deleting one for good.

worlds-token-scope = This API token's scope does not include delete.
worlds-not-found = No such world.
