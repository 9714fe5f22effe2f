## Modrinth's API (crates/core/src/modrinth.rs).

modrinth-not-found = Modrinth has no such project or version.
modrinth-rate-limited = Modrinth asks the panel to slow down: try again in { $secs } seconds.
modrinth-failed = Modrinth could not be reached or failed: { $why }
# reasons in modrinth-failed
modrinth-forbidden = it answered 403 Forbidden
modrinth-file-elsewhere = the file is neither on Modrinth's CDN nor on the configured API's host
modrinth-file-too-large = the file is larger than { $max } MiB
