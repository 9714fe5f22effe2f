## Packing and unpacking archives; files-archive-refused says why an archive is refused with one of the "it ..." reasons below.

files-archive-choose = Elegir qué empaquetar.
files-archive-empty = { $path } está vacío.
files-archive-unpack-timeout = La descompresión tardó demasiado.
files-archive-too-large = { $path } supera el límite de { $max } MiB.
files-archive-read-timeout = La lectura de los archivos tardó demasiado.
files-archive-refused = No se puede descomprimir { $path }: { $why }. No se cambió nada.
files-archive-absolute = contiene una ruta absoluta ({ $entry })
files-archive-outside = contiene una ruta que sale de la carpeta ({ $entry })
files-archive-drive = contiene una ruta de unidad ({ $entry })
files-archive-not-zip = no es un zip válido ({ $error })
files-archive-damaged = está dañado ({ $error })
files-archive-not-utf8 = contiene un nombre que no es UTF-8 válido
files-archive-link = contiene un enlace ({ $entry }); el panel solo descomprime archivos y carpetas
files-archive-unknown = no es un archivo comprimido que el panel conozca (zip, tar.gz o tar)
files-archive-special = contiene un dispositivo o un archivo especial ({ $entry })
files-archive-too-many = contiene más de { $max } entradas
files-archive-too-big = descomprimido ocupa más de { $max } MiB
files-archive-twice = contiene { $entry } dos veces
