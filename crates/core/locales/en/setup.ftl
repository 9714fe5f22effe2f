## First-run setup's code.

setup-code-missing = Enter the setup code: the panel printed it in its log when it started (look for "setup code"), or run `panel setup-code` where the panel runs.
setup-code-wrong = That setup code is not right: copy it from the panel's log.
