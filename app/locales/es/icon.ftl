## The server's icon: the form on the server page and its errors.

icon-browser-failed = el navegador no pudo hacerlo
icon-too-large = Elegir una imagen de 10 MB como máximo.
icon-not-picture = Eso no es una imagen.
icon-unreadable = El navegador no puede leer esa imagen.
icon-empty = La imagen está vacía.
icon-no-canvas = El navegador no puede dibujar.
icon-no-png = El navegador no generó un PNG.
icon-upload-failed = La subida falló ({ $status }).
icon-saved = Guardado como server-icon.png: los jugadores lo verán tras el próximo inicio.
icon-title = Icono
icon-new-alt = El nuevo icono
icon-current-alt = El icono del servidor
icon-picture = Una imagen (recortada a un cuadrado de 64×64 píxeles)
icon-saving = Guardando el icono…
