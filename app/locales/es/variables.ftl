## One template variable in a form: toggles, choices, the value checks, the MOTD preview.

variables-on = Activado
variables-off = Desactivado
variables-not-set = Sin definir
variables-motd-preview = Cómo lo ven los jugadores
variables-must-bool = { $label } debe estar activado o desactivado (true o false).
variables-must-number = { $label } debe ser un número entero de { $min } a { $max }.
variables-must-choice = { $label } debe ser uno de estos valores: { $choices }.
