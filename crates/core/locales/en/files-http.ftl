## The file manager's download and upload routes.

files-http-not-file-or-folder = { $path } is not a file or folder.
files-http-no-length = Uploads must say their size (Content-Length).
files-http-too-large = Files of up to { $max } MiB can be uploaded.
