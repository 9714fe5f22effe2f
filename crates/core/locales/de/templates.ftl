## Templates: checking a template document (its reasons go into templates-invalid) and importing it.

templates-check-slug = slug: 1 bis 32 Kleinbuchstaben, Ziffern oder Bindestriche
templates-check-image = image: erforderlich, ohne Leerzeichen
templates-check-data-path = data_path: ein absoluter Pfad ohne ..
templates-check-game-port = game_port: 1 bis 65535
templates-check-stop-timeout = stop_timeout_secs: 5 bis 3600
templates-check-started-pattern = started_pattern: kein gültiger regulärer Ausdruck
templates-check-variable-name = Variable { $name }: Namen bestehen aus Großbuchstaben (UPPER_CASE), Ziffern und _
templates-check-variable-duplicate = Variable { $name }: doppelt oder reserviert
templates-check-variable-label = Variable { $name }: eine Beschriftung hat 1 bis 64 Zeichen
templates-check-variable-rule = Variable { $name }: die Regel ist kein gültiger regulärer Ausdruck
templates-check-console = console: ein exec-Befehl muss { "{command}" } enthalten
templates-check-extra-ports-max = extra_ports: höchstens { $max }
templates-check-extra-port-name = zusätzlicher Port { $name }: Namen bestehen aus 1 bis 15 Kleinbuchstaben, Ziffern oder Bindestrichen und beginnen mit einem Buchstaben
templates-check-extra-port-taken = zusätzlicher Port { $name }: der Name ist vergeben
templates-check-extra-port-number = zusätzlicher Port { $name }: 1 bis 65535
templates-check-extra-port-twice = zusätzlicher Port { $name }: { $port }/{ $protocol } ist doppelt angegeben
templates-document-invalid = Das Vorlagendokument ist ungültig: { $reason }
templates-invalid = Die Vorlage ist ungültig: { $reason }.
templates-name-description = Name (1 bis 64 Zeichen) und Beschreibung (bis 500) sind erforderlich.
