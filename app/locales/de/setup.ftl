## First-run setup: the administrator account; and the username and password rules' messages.

setup-title = Willkommen
setup-intro = Das Administratorkonto anlegen, um die Einrichtung des Panels abzuschließen.
setup-code = Einrichtungscode
setup-code-hint = Steht beim Start im Log des Panels (nach „setup code“ suchen), oder dort, wo es läuft, `panel setup-code` ausführen
setup-username = Benutzername
setup-username-hint = 3 bis 32 Buchstaben, Ziffern, Punkte, Bindestriche oder Unterstriche
setup-password = Passwort
setup-password-hint = Mindestens 10 Zeichen
setup-confirm = Passwort wiederholen
setup-creating = Wird angelegt…
setup-create = Administrator anlegen
setup-passwords-differ = Die Passwörter stimmen nicht überein.
setup-username-length = Der Benutzername muss 3 bis { $max } Zeichen lang sein.
setup-username-start = Der Benutzername muss mit einem Buchstaben oder einer Ziffer beginnen.
setup-username-chars = Der Benutzername darf nur Buchstaben, Ziffern, Punkte, Bindestriche und Unterstriche enthalten.
setup-password-short = Das Passwort muss mindestens { $min } Zeichen lang sein.
setup-password-long = Das Passwort darf höchstens { $max } Bytes lang sein.
