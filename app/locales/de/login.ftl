## The sign-in page, and why a sign-in through the provider failed.

login-sign-in = Anmelden
login-subtitle = beim Minecraft-Server-Panel
login-sso-button = Mit { $name } anmelden
login-or-password = oder mit Passwort
login-username = Benutzername
login-password = Passwort
login-code = Code
login-code-hint = Aus der Authenticator-App oder einer der Wiederherstellungscodes.
login-signing-in = Anmeldung läuft…
login-sso-unreachable = Der Anmeldedienst ist nicht erreichbar. Gleich noch einmal versuchen.
login-sso-untrusted = Der Antwort des Anmeldedienstes ist nicht zu trauen. Ein Administrator sollte das Log des Panels prüfen.
login-sso-refused = Der Anmeldedienst hat die Anmeldung nicht durchgeführt.
login-sso-stale = Diese Anmeldung wurde schon verwendet oder hat zu lange gedauert. Bitte erneut versuchen.
login-sso-other-browser = Diese Anmeldung wurde in einem anderen Browser begonnen. Bitte hier erneut versuchen.
login-sso-bad-token = Das Token des Anmeldedienstes ließ sich nicht prüfen. Ein Administrator sollte das Log des Panels prüfen.
login-sso-no-account = Zu dieser Anmeldung gehört kein Konto im Panel. Ein Administrator kann eines anlegen.
login-sso-already-linked = Das Konto mit dieser E-Mail-Adresse ist mit einer anderen Anmeldung verknüpft. Bitte an einen Administrator wenden.
login-sso-disabled = Dieses Konto ist gesperrt.
login-sso-internal = Im Panel ist etwas schiefgegangen. Bitte erneut versuchen.
