## The standard message of each kind of error, which crates without the catalogue write in English.

errors-internal = Something went wrong on the server. It has been logged; please try again.
errors-unauthenticated = You are not signed in, or your session has ended. Please sign in.
errors-unavailable = The panel's database is unavailable for a moment (it may be switching to a standby). Try again shortly; if you were changing something, check first whether it was done.
errors-files-need-running = The server is starting or stopping: its files open once it has.
