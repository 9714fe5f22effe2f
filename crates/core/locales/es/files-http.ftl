## The file manager's download and upload routes.

files-http-not-file-or-folder = { $path } no es un archivo ni una carpeta.
files-http-no-length = Las subidas deben indicar su tamaño (Content-Length).
files-http-too-large = Se pueden subir archivos de hasta { $max } MiB.
