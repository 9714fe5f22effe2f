## The account page: language, notifications, password, two-factor sign-in, sessions, API tokens.

account-title = Cuenta
account-audit-link = Registro de actividad de los servidores propios →
account-language-title = Idioma
account-language-help = Se usa en este dispositivo; por defecto, el idioma del navegador.
account-notify-title = Notificaciones
account-notify-text = Mientras el panel está abierto, avisa cuando uno de los servidores propios termina de arrancar, falla o no puede ejecutarse. En este dispositivo también puede mostrar una notificación del sistema cuando el panel está en segundo plano.
account-notify-none = Este navegador no muestra notificaciones.
account-notify-on = Activadas en este dispositivo.
account-notify-blocked = Bloqueadas para este sitio: permitirlas en la configuración del sitio del navegador.
account-notify-enable = Avisarme en este dispositivo
account-tokens-title = Tokens de API
account-tokens-help-before = Los scripts llaman a la API JSON con
account-tokens-help-after = . Un token actúa en nombre propio, limitado a los permisos que se le den; se muestra una sola vez.
account-api-reference = La referencia de la API →
account-token-copy = Copiar este token ahora; no se volverá a mostrar:
account-tokens-loading = Cargando tokens…
account-tokens-none = Aún no hay tokens.
account-token-expires = caduca el { $when }
account-token-never = no caduca nunca
account-token-revoke = Revocar
account-token-name = Nombre
account-token-name-placeholder = script de copias
account-scope-admin = Administración (plantillas, todos los servidores)
account-token-expiry = Caduca
account-token-in-days = en { $count } días
account-token-in-a-year = en un año
account-token-never-expires = nunca
account-your-password = Contraseña propia
account-token-create = Crear token
account-password-title = Contraseña
account-current-password = Contraseña actual
account-new-password = Contraseña nueva
account-new-password-again = Repetir la contraseña nueva
account-change-password = Cambiar la contraseña
account-passwords-differ = Las contraseñas nuevas no coinciden.
account-password-changed = Contraseña cambiada; { $sessions ->
        [one] se cerró { $sessions } sesión más
       *[other] se cerraron { $sessions } sesiones más
    } y { $tokens ->
        [one] se revocó { $tokens } token de API
       *[other] se revocaron { $tokens } tokens de API
    }.
account-sessions-title = Sesiones
account-sessions-loading = Cargando sesiones…
account-unknown-browser = Navegador desconocido
account-session-line = { $ip } · último uso: { $when }
account-this-browser = este navegador
account-session-sign-out = Cerrar sesión
account-2fa-title = Inicio de sesión en dos pasos
account-2fa-codes = El inicio de sesión en dos pasos está activado. Guardar estos códigos de recuperación en un lugar seguro; cada uno sirve una vez si se pierde el teléfono:
account-loading = Cargando…
account-2fa-on = { $count ->
        [one] Activado. Queda { $count } código de recuperación.
       *[other] Activado. Quedan { $count } códigos de recuperación.
    }
account-2fa-password = Contraseña
account-2fa-code = Código
account-2fa-turn-off = Desactivar
account-2fa-ask = Pedir un código de una app de autenticación en cada inicio de sesión.
account-2fa-add-before = Añadir este secreto a la app de autenticación (
account-2fa-open-app = abrirlo en la app
account-2fa-add-after = ), y luego escribir el código que muestra:
account-2fa-turn-on = Activar
account-2fa-set-up = Configurar
