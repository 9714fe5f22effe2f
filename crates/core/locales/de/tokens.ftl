## API tokens: making and revoking them.

tokens-tokens = API-Tokens können keine Tokens verwalten; dafür im Panel anmelden.
tokens-name-invalid = Dem Token einen Namen mit 1 bis { $max } Zeichen geben.
tokens-admin-scope = Nur Administratoren können einem Token den admin-Bereich geben.
tokens-no-scope = Auswählen, was das Token darf.
tokens-expiry-invalid = Tokens laufen nach 1 bis { $max } Tagen ab (oder nie).
tokens-not-found = Token nicht gefunden.
