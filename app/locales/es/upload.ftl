## Uploads: the progress list of the files page and its errors.

upload-unsupported = Este navegador no puede subir archivos.
upload-interrupted = La subida se interrumpió.
upload-failed = La subida falló ({ $status }).
upload-not-started = La subida no pudo comenzar.
upload-percent = { $percent } %
upload-done = Subido
upload-clear = Quitar los terminados
