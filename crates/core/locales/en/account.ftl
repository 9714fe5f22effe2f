## The signed-in user's account: sessions and password.

account-tokens = API tokens cannot manage the account; sign in to the panel to do it.
account-session-not-found = No such session.
account-password-missing = Enter your password.
account-password-wrong = The password is not right.
account-password-same = The new password must differ from the current one.
