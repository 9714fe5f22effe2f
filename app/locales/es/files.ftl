## The files page: the folder list, its tools and dialogs.

files-no-such-server = Ese servidor no existe.
files-back = ← Servidor
files-crumbs = Carpeta
files-new-folder = Nueva carpeta
files-new-file = Nuevo archivo
files-upload = Subir
files-replace = Reemplazar
files-sort-by = Ordenar por
files-name = Nombre
files-size = Tamaño
files-modified = Modificado
files-mode = Modo
files-reverse = Invertir el orden
files-selected = { $count ->
        [one] { $count } seleccionado
       *[other] { $count } seleccionados
    }
files-pack-open = Empaquetar…
files-delete-open = Eliminar…
files-clear = Quitar la selección
files-reading = Leyendo la carpeta…
files-select-all = Seleccionar todo
files-empty = Esta carpeta está vacía. Arrastrar archivos aquí para subirlos.
files-truncated = { $count ->
        [one] { $count } entrada más no se muestra.
       *[other] { $count } entradas más no se muestran.
    }
files-select-entry = Seleccionar { $name }
files-odd-name = Este nombre no es texto válido; se puede renombrar desde la consola.
files-actions = Acciones para { $name }
files-rename-move = Renombrar / mover
files-copy = Copiar
files-download = Descargar
files-unpack = Descomprimir aquí
files-permissions = Permisos
files-delete = Eliminar
files-created = Se creó { $path }.
files-moved = Se movió a { $path }.
files-copied = Se copió a { $path }.
files-mode-set = Permisos establecidos en { $mode }.
files-deleted = { $count ->
        [one] Se eliminó { $count } entrada.
       *[other] Se eliminaron { $count } entradas.
    }
files-packed = Empaquetado en { $archive }.
files-unpacked = Descomprimido: { $names }.
files-copy-name = { $name } copia
files-archive-name-default = archivo
files-rename-title = Renombrar o mover (una ruta lo mueve)
files-copy-title = Copiar a
files-mode-title = Permisos (octal, p. ej. 644)
files-archive-name = Nombre del archivo comprimido
files-create = Crear
files-rename = Renombrar
files-set = Aplicar
files-pack = Empaquetar
files-mode-invalid = Los permisos son tres dígitos octales, de 000 a 777.
files-delete-one = ¿Eliminar { $name }? Las carpetas se eliminan con todo su contenido. No se puede deshacer.
files-delete-many = ¿Eliminar estas { $count } entradas? Las carpetas se eliminan con todo su contenido. No se puede deshacer.
files-working = Procesando…
files-cancel = Cancelar
files-stopped-title = El servidor se está iniciando o deteniendo
files-stopped-text = Sus archivos se abren cuando termine: en el servidor en marcha o, si está detenido, en un pequeño pod que guarda su mundo.
files-waiting = Esperando…
files-name-empty = Un nombre no puede estar vacío.
files-name-dots = «{ $name }» no se puede usar como nombre.
files-name-long = Los nombres tienen como máximo { $max } bytes.
files-name-slash = Un nombre no puede contener «/».
files-name-control = Los nombres no pueden contener caracteres de control como saltos de línea.
files-path-long = Las rutas tienen como máximo { $max } bytes.
files-path-dotdot = Las rutas no pueden contener «..»: se quedan dentro de la carpeta del servidor.
