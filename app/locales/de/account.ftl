## The account page: language, notifications, password, two-factor sign-in, sessions, API tokens.

account-title = Konto
account-audit-link = Aktivitätsprotokoll der eigenen Server →
account-language-title = Sprache
account-language-help = Gilt auf diesem Gerät; standardmäßig die Sprache des Browsers.
account-notify-title = Benachrichtigungen
account-notify-text = Solange das Panel offen ist, meldet es, wenn einer der eigenen Server fertig gestartet ist, abstürzt oder nicht laufen kann. Auf diesem Gerät kann es zusätzlich eine Systembenachrichtigung zeigen, wenn das Panel im Hintergrund ist.
account-notify-none = Dieser Browser zeigt keine Benachrichtigungen.
account-notify-on = Auf diesem Gerät eingeschaltet.
account-notify-blocked = Für diese Seite blockiert: in den Website-Einstellungen des Browsers erlauben.
account-notify-enable = Auf diesem Gerät benachrichtigen
account-tokens-title = API-Tokens
account-tokens-help-before = Skripte rufen die JSON-API mit
account-tokens-help-after = { " " }auf. Ein Token handelt im eigenen Namen, beschränkt auf die ihm gegebenen Rechte; es wird nur einmal angezeigt.
account-api-reference = Die API-Referenz →
account-token-copy = Dieses Token jetzt kopieren; es wird nicht noch einmal angezeigt:
account-tokens-loading = Tokens werden geladen…
account-tokens-none = Noch keine Tokens.
account-token-expires = läuft ab am { $when }
account-token-never = läuft nie ab
account-token-revoke = Widerrufen
account-token-name = Name
account-token-name-placeholder = Backup-Skript
account-scope-admin = Administration (Vorlagen, alle Server)
account-token-expiry = Läuft ab
account-token-in-days = in { $count } Tagen
account-token-in-a-year = in einem Jahr
account-token-never-expires = nie
account-your-password = Eigenes Passwort
account-token-create = Token erstellen
account-password-title = Passwort
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-new-password-again = Neues Passwort wiederholen
account-change-password = Passwort ändern
account-passwords-differ = Die neuen Passwörter stimmen nicht überein.
account-password-changed = Passwort geändert; { $sessions ->
        [one] { $sessions } andere Sitzung abgemeldet
       *[other] { $sessions } andere Sitzungen abgemeldet
    }, { $tokens ->
        [one] { $tokens } API-Token widerrufen
       *[other] { $tokens } API-Tokens widerrufen
    }.
account-sessions-title = Sitzungen
account-sessions-loading = Sitzungen werden geladen…
account-unknown-browser = Unbekannter Browser
account-session-line = { $ip } · zuletzt genutzt { $when }
account-this-browser = dieser Browser
account-session-sign-out = Abmelden
account-2fa-title = Zwei-Faktor-Anmeldung
account-2fa-codes = Die Zwei-Faktor-Anmeldung ist eingeschaltet. Diese Wiederherstellungscodes sicher aufbewahren; jeder funktioniert einmal, falls das Telefon verloren geht:
account-loading = Wird geladen…
account-2fa-on = { $count ->
        [one] Eingeschaltet. Noch { $count } Wiederherstellungscode.
       *[other] Eingeschaltet. Noch { $count } Wiederherstellungscodes.
    }
account-2fa-password = Passwort
account-2fa-code = Code
account-2fa-turn-off = Ausschalten
account-2fa-ask = Bei jeder Anmeldung einen Code aus einer Authenticator-App verlangen.
account-2fa-add-before = Dieses Geheimnis in die Authenticator-App eintragen (
account-2fa-open-app = in der App öffnen
account-2fa-add-after = ), dann den angezeigten Code eingeben:
account-2fa-turn-on = Einschalten
account-2fa-set-up = Einrichten
