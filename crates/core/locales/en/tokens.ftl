## API tokens: making and revoking them.

tokens-tokens = API tokens cannot manage tokens; sign in to the panel to do it.
tokens-name-invalid = Give the token a name of 1 to { $max } characters.
tokens-admin-scope = Only administrators can give a token the admin scope.
tokens-no-scope = Choose what the token may do.
tokens-expiry-invalid = Tokens expire after 1 to { $max } days (or never).
tokens-not-found = No such token.
