## Two-factor sign-in: setting it up, turning it off, and an administrator's reset.

two-factor-tokens = API-Tokens können die Zwei-Faktor-Anmeldung nicht verwalten.
two-factor-setup-already-on = Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet. Für eine andere App zuerst ausschalten (mit Passwort und Code), dann neu einrichten.
two-factor-already-on = Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet.
two-factor-setup-first = Zuerst die Einrichtung beginnen.
two-factor-code-wrong-clock = Dieser Code stimmt nicht; die Uhr der App prüfen.
two-factor-code-wrong = Dieser Code stimmt nicht.
two-factor-user-not-found = Benutzer nicht gefunden.
two-factor-not-on = { $username } verwendet keine Zwei-Faktor-Anmeldung.
