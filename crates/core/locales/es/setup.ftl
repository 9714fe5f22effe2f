## First-run setup's code.

setup-code-missing = Introducir el código de configuración: el panel lo escribió en su registro al arrancar (buscar «setup code»), o ejecutar `panel setup-code` donde se ejecuta el panel.
setup-code-wrong = Ese código de configuración no es correcto: copiarlo del registro del panel.
