## Signing in with a password, and the limits on failed attempts.

sign-in-too-many-address = { $minutes ->
    [one] Too many failed sign-in attempts from your address. Try again in { $minutes } minute.
   *[other] Too many failed sign-in attempts from your address. Try again in { $minutes } minutes.
}
sign-in-too-many-account = { $minutes ->
    [one] Too many failed sign-in attempts for this account. Try again in { $minutes } minute, sign in from a browser you signed in from before, or enter your two-factor code with your password.
   *[other] Too many failed sign-in attempts for this account. Try again in { $minutes } minutes, sign in from a browser you signed in from before, or enter your two-factor code with your password.
}
sign-in-too-many-browser = { $minutes ->
    [one] Too many failed sign-in attempts from this browser. Try again in { $minutes } minute.
   *[other] Too many failed sign-in attempts from this browser. Try again in { $minutes } minutes.
}
sign-in-too-many-session = { $minutes ->
    [one] Too many failed sign-in attempts in this session. Try again in { $minutes } minute.
   *[other] Too many failed sign-in attempts in this session. Try again in { $minutes } minutes.
}
sign-in-too-many-account-code = { $minutes ->
    [one] Too many failed sign-in attempts for this account. Try again in { $minutes } minute, or sign in from a browser you signed in from before.
   *[other] Too many failed sign-in attempts for this account. Try again in { $minutes } minutes, or sign in from a browser you signed in from before.
}
sign-in-wrong-password = Wrong username or password.
sign-in-single-sign-on = single sign-on
sign-in-passwords-off = This panel does not take passwords: sign in with { $name }.
sign-in-code-needed = Enter the code from your authenticator app (or a recovery code).
sign-in-code-wrong = That code is not right. Wait for the next one, or use a recovery code.
sign-in-wrong-password-or-code = Wrong username, password or code.
