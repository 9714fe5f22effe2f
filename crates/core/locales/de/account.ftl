## The signed-in user's account: sessions and password.

account-tokens = API-Tokens können das Konto nicht verwalten; dafür im Panel anmelden.
account-session-not-found = Sitzung nicht gefunden.
account-password-missing = Das Passwort eingeben.
account-password-wrong = Das Passwort stimmt nicht.
account-password-same = Das neue Passwort muss sich vom aktuellen unterscheiden.
