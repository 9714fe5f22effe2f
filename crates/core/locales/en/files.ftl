## The file manager: its refusals and what a failed operation in the server's container means.

files-no-such-server = No such server.
files-timed-out = The server took too long to answer; try again.
# why: the last line the operation printed, else files-ended-with-error
files-operation-failed = The operation on { $path } failed: { $why }
files-ended-with-error = it ended with an error
files-outside = { $path } leads outside the server's folder (through a link); the panel does not follow it.
files-not-found = { $path } does not exist.
files-not-a-folder = { $path } is not a folder.
files-not-a-regular-file = { $path } is not a regular file.
files-not-a-file-or-folder = { $path } is not a file or folder.
# kind: what the container said the entry should be (English)
files-wrong-kind = { $path } is not { $kind }.
files-exists = { $name } exists already.
files-changed-on-disk = { $path } changed on disk since it was opened. Reload it to see the new version (your text is kept until you leave).
files-too-large = { $path } is larger than { $max } MiB: download it instead.
files-upload-cut-short = The upload was cut short; nothing was changed.
files-no-data-folder = The server's data folder is missing.
files-keeps-changing = { $path } keeps changing (or holds too many entries) to be listed; try again.
files-not-text = { $path } is not text: download it instead.
files-name-the-file = Give the file a name.
files-editor-max = The editor saves at most { $max } MiB; upload larger files.
files-unknown-version = That version is not one the panel gave: open the file again.
files-name-the-folder = Give the folder a name.
files-root-move = The server's folder itself cannot be moved or copied.
files-same-place = Choose a different name or folder.
files-copy-into-itself = { $path } cannot be copied into itself.
files-move-into-itself = { $path } cannot be moved into itself.
files-choose-what-to-delete = Choose what to delete.
files-root-delete = The server's folder itself cannot be deleted.
files-delete-max = Delete at most 1000 entries at once.
# what a failure names when several entries are deleted at once (always more than one)
files-entries = { $count } entries
files-chmod-range = Permissions are three octal digits, 000 to 777.
