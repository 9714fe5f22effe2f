## First-run setup: the administrator account; and the username and password rules' messages.

setup-title = Welcome
setup-intro = Create the administrator account to finish setting up the panel.
setup-code = Setup code
setup-code-hint = Printed in the panel's log when it started (look for "setup code"), or run `panel setup-code` where it runs
setup-username = Username
setup-username-hint = 3 to 32 letters, digits, dots, dashes or underscores
setup-password = Password
setup-password-hint = At least 10 characters
setup-confirm = Repeat the password
setup-creating = Creating…
setup-create = Create administrator
setup-passwords-differ = The passwords do not match.
setup-username-length = The username must be 3 to { $max } characters long.
setup-username-start = The username must begin with a letter or a digit.
setup-username-chars = The username may hold only letters, digits, dots, dashes and underscores.
setup-password-short = The password must be at least { $min } characters long.
setup-password-long = The password must be at most { $max } bytes long.
