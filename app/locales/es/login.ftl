## The sign-in page, and why a sign-in through the provider failed.

login-sign-in = Iniciar sesión
login-subtitle = en el panel de servidores de Minecraft
login-sso-button = Iniciar sesión con { $name }
login-or-password = o con contraseña
login-username = Nombre de usuario
login-password = Contraseña
login-code = Código
login-code-hint = De la app de autenticación, o uno de los códigos de recuperación.
login-signing-in = Iniciando sesión…
login-sso-unreachable = No se pudo contactar con el proveedor de inicio de sesión. Volver a intentarlo en un momento.
login-sso-untrusted = No se puede confiar en la respuesta del proveedor de inicio de sesión. Un administrador debería revisar el registro del panel.
login-sso-refused = El proveedor de inicio de sesión no inició la sesión.
login-sso-stale = Ese inicio de sesión ya se usó o tardó demasiado. Volver a intentarlo.
login-sso-other-browser = Ese inicio de sesión empezó en otro navegador. Volver a intentarlo aquí.
login-sso-bad-token = No se pudo verificar el token del proveedor de inicio de sesión. Un administrador debería revisar el registro del panel.
login-sso-no-account = Ninguna cuenta del panel corresponde a ese inicio de sesión. Un administrador puede crear una.
login-sso-already-linked = La cuenta con esa dirección de correo está vinculada a otro inicio de sesión. Consultar a un administrador.
login-sso-disabled = Esta cuenta está desactivada.
login-sso-internal = Algo falló en el panel. Volver a intentarlo.
