## Kept worlds: deleting one for good.

worlds-token-scope = Der Geltungsbereich dieses API-Tokens umfasst kein Löschen (delete).
worlds-not-found = Welt nicht gefunden.
