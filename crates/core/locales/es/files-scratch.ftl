## The panel's temporary space for archives: taking turns, and a full disk.

files-scratch-busy-user = Ya se está empaquetando o descomprimiendo un archivo comprimido propio: esperar a que termine.
files-scratch-busy-panel = El panel está empaquetando o descomprimiendo { $count ->
    [one] { $count } archivo comprimido
   *[other] { $count } archivos comprimidos
    } para otros en este momento: volver a intentarlo en un minuto.
files-scratch-full = El espacio temporal del panel está lleno: probar con un archivo comprimido más pequeño o volver a intentarlo más tarde. No se cambió nada.
