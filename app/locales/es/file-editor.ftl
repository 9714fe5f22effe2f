## The file editor: text with search, and server.properties as a form.

file-editor-no-such-server = Ese servidor no existe.
file-editor-opening = Abriendo el archivo…
file-editor-back = ← Archivos
file-editor-download-instead = Descargarlo en su lugar
file-editor-saved = Guardado.
file-editor-reloaded = Recargado desde el disco.
file-editor-leave = ¿Salir sin guardar los cambios?
file-editor-unsaved = Cambios sin guardar
file-editor-tab-settings = Ajustes
file-editor-tab-text = Texto
file-editor-save = Guardar
file-editor-saving = Guardando…
file-editor-changed = Este archivo cambió en el disco desde que se abrió.
file-editor-load-disk = Cargar la versión del disco
file-editor-overwrite = Sobrescribir con la mía
file-editor-find = Buscar en el archivo
file-editor-next = Siguiente
file-editor-not-found = No encontrado
file-editor-content = Contenido del archivo
file-editor-on = Sí
file-editor-off = No
file-editor-props-note = Las demás claves y comentarios del archivo se conservan tal cual; se editan en la pestaña Texto. El servidor lee este archivo al iniciarse: hay que reiniciarlo para aplicar los cambios.
