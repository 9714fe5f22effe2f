## The sign-in page, and why a sign-in through the provider failed.

login-sign-in = Sign in
login-subtitle = to your Minecraft server panel
login-sso-button = Sign in with { $name }
login-or-password = or with your password
login-username = Username
login-password = Password
login-code = Code
login-code-hint = From your authenticator app, or one of your recovery codes.
login-signing-in = Signing in…
login-sso-unreachable = The sign-in provider could not be reached. Try again in a moment.
login-sso-untrusted = The sign-in provider's answer could not be trusted. An administrator should check the panel's log.
login-sso-refused = The sign-in provider did not sign you in.
login-sso-stale = That sign-in was already used or took too long. Please try again.
login-sso-other-browser = That sign-in was started in another browser. Please try again here.
login-sso-bad-token = The sign-in provider's token could not be verified. An administrator should check the panel's log.
login-sso-no-account = No panel account belongs to that sign-in. Ask an administrator for one.
login-sso-already-linked = The account with your e-mail address is linked to another sign-in. Ask an administrator.
login-sso-disabled = This account is disabled.
login-sso-internal = Something went wrong on the panel. Please try again.
