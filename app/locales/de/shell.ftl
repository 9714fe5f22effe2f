## The page frame: top bar and navigation.

shell-brand = Panel
shell-sandbox = Sandbox
shell-sandbox-title = Server laufen im eingebauten Sandbox-Cluster, nicht auf Kubernetes
shell-sign-out = Abmelden
shell-signing-out = Abmelden…
shell-nav-main = Hauptmenü
shell-nav-servers = Server
shell-nav-activity = Aktivität
shell-nav-users = Benutzer
shell-nav-templates = Vorlagen
shell-nav-account = Konto
shell-account-title = { $username }: Konto und API-Tokens
shell-loading = Wird geladen…
