## One template variable in a form: toggles, choices, the value checks, the MOTD preview.

variables-on = On
variables-off = Off
variables-not-set = Not set
variables-motd-preview = How players see it
variables-must-bool = { $label } must be on or off (true or false).
variables-must-number = { $label } must be a whole number from { $min } to { $max }.
variables-must-choice = { $label } must be one of { $choices }.
