## Signing in with a password, and the limits on failed attempts.

sign-in-too-many-address = { $minutes ->
    [one] Demasiados intentos fallidos de inicio de sesión desde esta dirección. Volver a intentarlo en { $minutes } minuto.
   *[other] Demasiados intentos fallidos de inicio de sesión desde esta dirección. Volver a intentarlo en { $minutes } minutos.
}
sign-in-too-many-account = { $minutes ->
    [one] Demasiados intentos fallidos de inicio de sesión en esta cuenta. Volver a intentarlo en { $minutes } minuto, iniciar sesión desde un navegador con el que ya se inició antes, o introducir el código de verificación en dos pasos junto con la contraseña.
   *[other] Demasiados intentos fallidos de inicio de sesión en esta cuenta. Volver a intentarlo en { $minutes } minutos, iniciar sesión desde un navegador con el que ya se inició antes, o introducir el código de verificación en dos pasos junto con la contraseña.
}
sign-in-too-many-browser = { $minutes ->
    [one] Demasiados intentos fallidos de inicio de sesión desde este navegador. Volver a intentarlo en { $minutes } minuto.
   *[other] Demasiados intentos fallidos de inicio de sesión desde este navegador. Volver a intentarlo en { $minutes } minutos.
}
sign-in-too-many-session = { $minutes ->
    [one] Demasiados intentos fallidos de inicio de sesión en esta sesión. Volver a intentarlo en { $minutes } minuto.
   *[other] Demasiados intentos fallidos de inicio de sesión en esta sesión. Volver a intentarlo en { $minutes } minutos.
}
sign-in-too-many-account-code = { $minutes ->
    [one] Demasiados intentos fallidos de inicio de sesión en esta cuenta. Volver a intentarlo en { $minutes } minuto, o iniciar sesión desde un navegador con el que ya se inició antes.
   *[other] Demasiados intentos fallidos de inicio de sesión en esta cuenta. Volver a intentarlo en { $minutes } minutos, o iniciar sesión desde un navegador con el que ya se inició antes.
}
sign-in-wrong-password = Nombre de usuario o contraseña incorrectos.
sign-in-single-sign-on = inicio de sesión único
sign-in-passwords-off = Este panel no acepta contraseñas: iniciar sesión con { $name }.
sign-in-code-needed = Introducir el código de la app de autenticación (o un código de recuperación).
sign-in-code-wrong = Ese código no es correcto. Esperar al siguiente o usar un código de recuperación.
sign-in-wrong-password-or-code = Nombre de usuario, contraseña o código incorrectos.
