## First-run setup: the administrator account; and the username and password rules' messages.

setup-title = Bienvenida
setup-intro = Crear la cuenta de administrador para terminar de configurar el panel.
setup-code = Código de configuración
setup-code-hint = Aparece en el registro del panel al arrancar (buscar «setup code»), o ejecutar `panel setup-code` donde se ejecuta
setup-username = Nombre de usuario
setup-username-hint = De 3 a 32 letras, dígitos, puntos, guiones o guiones bajos
setup-password = Contraseña
setup-password-hint = Al menos 10 caracteres
setup-confirm = Repetir la contraseña
setup-creating = Creando…
setup-create = Crear administrador
setup-passwords-differ = Las contraseñas no coinciden.
setup-username-length = El nombre de usuario debe tener de 3 a { $max } caracteres.
setup-username-start = El nombre de usuario debe empezar con una letra o un dígito.
setup-username-chars = El nombre de usuario solo puede contener letras, dígitos, puntos, guiones y guiones bajos.
setup-password-short = La contraseña debe tener al menos { $min } caracteres.
setup-password-long = La contraseña debe tener como máximo { $max } bytes.
