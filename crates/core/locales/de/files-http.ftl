## The file manager's download and upload routes.

files-http-not-file-or-folder = { $path } ist weder eine Datei noch ein Ordner.
files-http-no-length = Uploads müssen ihre Größe angeben (Content-Length).
files-http-too-large = Es können Dateien bis { $max } MiB hochgeladen werden.
