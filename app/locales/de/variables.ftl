## One template variable in a form: toggles, choices, the value checks, the MOTD preview.

variables-on = An
variables-off = Aus
variables-not-set = Nicht gesetzt
variables-motd-preview = So sehen es die Spieler
variables-must-bool = { $label } muss an oder aus sein (true oder false).
variables-must-number = { $label } muss eine ganze Zahl von { $min } bis { $max } sein.
variables-must-choice = { $label } muss eines davon sein: { $choices }.
