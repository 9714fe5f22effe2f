## Two-factor sign-in: setting it up, turning it off, and an administrator's reset.

two-factor-tokens = Los tokens de API no pueden gestionar el inicio de sesión en dos pasos.
two-factor-setup-already-on = El inicio de sesión en dos pasos ya está activado. Para usar otra app, desactivarlo (con la contraseña y un código) y volver a configurarlo.
two-factor-already-on = El inicio de sesión en dos pasos ya está activado.
two-factor-setup-first = Primero hay que iniciar la configuración.
two-factor-code-wrong-clock = Ese código no es correcto; comprobar el reloj de la app.
two-factor-code-wrong = Ese código no es correcto.
two-factor-user-not-found = No existe ese usuario.
two-factor-not-on = { $username } no usa el inicio de sesión en dos pasos.
