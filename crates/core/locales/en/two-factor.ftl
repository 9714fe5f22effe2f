## Two-factor sign-in: setting it up, turning it off, and an administrator's reset.

two-factor-tokens = API tokens cannot manage two-factor sign-in.
two-factor-setup-already-on = Two-factor sign-in is already on. To use another app, turn it off (with your password and a code), then set it up again.
two-factor-already-on = Two-factor sign-in is already on.
two-factor-setup-first = Start the set-up first.
two-factor-code-wrong-clock = That code is not right; check the app's clock.
two-factor-code-wrong = That code is not right.
two-factor-user-not-found = No such user.
two-factor-not-on = { $username } does not use two-factor sign-in.
