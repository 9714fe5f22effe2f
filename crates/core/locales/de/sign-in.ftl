## Signing in with a password, and the limits on failed attempts.

sign-in-too-many-address = { $minutes ->
    [one] Zu viele fehlgeschlagene Anmeldeversuche von dieser Adresse. In { $minutes } Minute erneut versuchen.
   *[other] Zu viele fehlgeschlagene Anmeldeversuche von dieser Adresse. In { $minutes } Minuten erneut versuchen.
}
sign-in-too-many-account = { $minutes ->
    [one] Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. In { $minutes } Minute erneut versuchen, sich in einem Browser anmelden, in dem die Anmeldung schon einmal gelang, oder den Zwei-Faktor-Code zusammen mit dem Passwort eingeben.
   *[other] Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. In { $minutes } Minuten erneut versuchen, sich in einem Browser anmelden, in dem die Anmeldung schon einmal gelang, oder den Zwei-Faktor-Code zusammen mit dem Passwort eingeben.
}
sign-in-too-many-browser = { $minutes ->
    [one] Zu viele fehlgeschlagene Anmeldeversuche in diesem Browser. In { $minutes } Minute erneut versuchen.
   *[other] Zu viele fehlgeschlagene Anmeldeversuche in diesem Browser. In { $minutes } Minuten erneut versuchen.
}
sign-in-too-many-session = { $minutes ->
    [one] Zu viele fehlgeschlagene Anmeldeversuche in dieser Sitzung. In { $minutes } Minute erneut versuchen.
   *[other] Zu viele fehlgeschlagene Anmeldeversuche in dieser Sitzung. In { $minutes } Minuten erneut versuchen.
}
sign-in-too-many-account-code = { $minutes ->
    [one] Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. In { $minutes } Minute erneut versuchen oder sich in einem Browser anmelden, in dem die Anmeldung schon einmal gelang.
   *[other] Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. In { $minutes } Minuten erneut versuchen oder sich in einem Browser anmelden, in dem die Anmeldung schon einmal gelang.
}
sign-in-wrong-password = Falscher Benutzername oder falsches Passwort.
sign-in-single-sign-on = Single Sign-On
sign-in-passwords-off = Dieses Panel nimmt keine Passwörter an: mit { $name } anmelden.
sign-in-code-needed = Den Code aus der Authenticator-App (oder einen Wiederherstellungscode) eingeben.
sign-in-code-wrong = Dieser Code stimmt nicht. Auf den nächsten warten oder einen Wiederherstellungscode verwenden.
sign-in-wrong-password-or-code = Falscher Benutzername, falsches Passwort oder falscher Code.
