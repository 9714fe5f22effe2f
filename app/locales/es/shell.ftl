## The page frame: top bar and navigation.

shell-brand = Panel
shell-sandbox = Sandbox
shell-sandbox-title = Los servidores se ejecutan en el clúster sandbox integrado, no en Kubernetes
shell-sign-out = Cerrar sesión
shell-signing-out = Cerrando sesión…
shell-nav-main = Principal
shell-nav-servers = Servidores
shell-nav-activity = Actividad
shell-nav-users = Usuarios
shell-nav-templates = Plantillas
shell-nav-account = Cuenta
shell-account-title = { $username }: cuenta y tokens de API
shell-loading = Cargando…
