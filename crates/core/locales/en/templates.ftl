## Templates: checking a template document (its reasons go into templates-invalid) and importing it.

templates-check-slug = slug: 1 to 32 lowercase letters, digits or dashes
templates-check-image = image: required, without spaces
templates-check-data-path = data_path: an absolute path without ..
templates-check-game-port = game_port: 1 to 65535
templates-check-stop-timeout = stop_timeout_secs: 5 to 3600
templates-check-started-pattern = started_pattern: not a valid regular expression
templates-check-variable-name = variable { $name }: names are UPPER_CASE letters, digits and _
templates-check-variable-duplicate = variable { $name }: duplicate or reserved
templates-check-variable-label = variable { $name }: a label has 1 to 64 characters
templates-check-variable-rule = variable { $name }: the rule is not a valid regular expression
templates-check-console = console: an exec command must contain { "{command}" }
templates-check-extra-ports-max = extra_ports: at most { $max }
templates-check-extra-port-name = extra port { $name }: names are 1 to 15 lowercase letters, digits or dashes, starting with a letter
templates-check-extra-port-taken = extra port { $name }: the name is taken
templates-check-extra-port-number = extra port { $name }: 1 to 65535
templates-check-extra-port-twice = extra port { $name }: { $port }/{ $protocol } is declared twice
templates-document-invalid = The template document is not valid: { $reason }
templates-invalid = The template is not valid: { $reason }.
templates-name-description = The name (1 to 64 characters) and description (up to 500) are required.
