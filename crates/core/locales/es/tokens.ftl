## API tokens: making and revoking them.

tokens-tokens = Los tokens de API no pueden gestionar tokens; iniciar sesión en el panel para hacerlo.
tokens-name-invalid = Dar al token un nombre de 1 a { $max } caracteres.
tokens-admin-scope = Solo los administradores pueden dar a un token el ámbito admin.
tokens-no-scope = Elegir lo que puede hacer el token.
tokens-expiry-invalid = Los tokens caducan después de 1 a { $max } días (o nunca).
tokens-not-found = No existe ese token.
