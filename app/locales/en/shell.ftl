## The page frame: top bar and navigation.

shell-brand = Panel
shell-sandbox = Sandbox
shell-sandbox-title = Servers run in the embedded sandbox cluster, not on Kubernetes
shell-sign-out = Sign out
shell-signing-out = Signing out…
shell-nav-main = Main
shell-nav-servers = Servers
shell-nav-activity = Activity
shell-nav-users = Users
shell-nav-templates = Templates
shell-nav-account = Account
shell-account-title = { $username }: account and API tokens
shell-loading = Loading…
