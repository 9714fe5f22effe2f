## The signed-in user's account: sessions and password.

account-tokens = Los tokens de API no pueden gestionar la cuenta; iniciar sesión en el panel para hacerlo.
account-session-not-found = No existe esa sesión.
account-password-missing = Introducir la contraseña.
account-password-wrong = La contraseña no es correcta.
account-password-same = La contraseña nueva debe ser distinta de la actual.
