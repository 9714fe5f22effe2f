## Packing and unpacking archives; files-archive-refused says why an archive is refused with one of the "it ..." reasons below.

files-archive-choose = Choose what to pack.
files-archive-empty = { $path } is empty.
files-archive-unpack-timeout = Unpacking took too long.
files-archive-too-large = { $path } is larger than the limit of { $max } MiB.
files-archive-read-timeout = Reading the files took too long.
files-archive-refused = { $path } cannot be unpacked: { $why }. Nothing was changed.
files-archive-absolute = it holds an absolute path ({ $entry })
files-archive-outside = it holds a path leading out of the folder ({ $entry })
files-archive-drive = it holds a drive path ({ $entry })
files-archive-not-zip = it is not a valid zip ({ $error })
files-archive-damaged = it is damaged ({ $error })
files-archive-not-utf8 = it holds a name that is not valid UTF-8
files-archive-link = it holds a link ({ $entry }); the panel unpacks only files and folders
files-archive-unknown = it is not an archive the panel knows (zip, tar.gz or tar)
files-archive-special = it holds a device or special file ({ $entry })
files-archive-too-many = it holds more than { $max } entries
files-archive-too-big = it unpacks to more than { $max } MiB
files-archive-twice = it holds { $entry } twice
