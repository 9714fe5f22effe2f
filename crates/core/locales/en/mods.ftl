## Mods and plugins from Modrinth and SpigotMC (crates/core/src/mods.rs).

mods-no-loader = This server's template names no mod loader or plugin platform: mods need Fabric, Quilt, Forge, NeoForge, Paper, Purpur, Spigot or Bukkit (or a Modrinth modpack).
mods-modpack-not-editable = This modpack template does not let its servers choose their pack: it needs { $pack } and { $version } as variables their owners may change.
mods-query-too-long = Search for one line of up to { $max } characters.
mods-takes-no-spiget = This server takes nothing from { $source }: plugins from SpigotMC need a Paper or Purpur template with { $variable }.
mods-takes-no-curseforge = This server takes nothing from { $source }: CurseForge needs the operator's API key and a mod or plugin template with { $variable }.
mods-takes-no-modrinth = This server takes nothing from { $source }: its template takes no mods.
# what the server runs when it names no loader, in "for this server (…)"
mods-target-modpack = a modpack server
mods-no-fitting-version = { $project } has no version for this server ({ $target }).
mods-version-unknown = Modrinth does not list the version { $version } for { $project }.
mods-incompatible = The version { $version } runs on { $loaders } { $games }, not on this server ({ $target }).
mods-is-modpack = { $project } is a modpack: create a server from the Modrinth modpack template to run it.
mods-not-modpack = { $project } is not a modpack: this server runs one modpack, chosen here.
mods-too-many = A server lists at most { $max } mods.
mods-no-file = The version { $version } of { $project } has no file to install.
mods-bad-file-name = Modrinth named the file with characters a file name cannot hold.
mods-spiget-no-version = Plugins from SpigotMC install at their newest version (the server fetches it at each start): a version cannot be chosen.
mods-spiget-too-many = A server lists at most { $max } plugins from SpigotMC.
mods-not-installed = { $project } is not installed.
mods-modpack-remove = A modpack server runs its modpack: choose another one instead (its templates' other servers run mods without one).
mods-variable-full = { $variable } holds at most { $max } characters: remove a mod first.
mods-no-such-server = No such server.
mods-no-sha512 = Modrinth gave no SHA-512 for the file: the panel installs only files it can check.
mods-download-broke-off = The download from Modrinth broke off: { $error }
mods-file-too-large = The file is larger than { $max } MiB.
mods-sha512-mismatch = The download of { $file } does not match the SHA-512 Modrinth lists for it; nothing was installed.
mods-manifest-unreadable = { $file } (the panel's record of installed mods) is not readable; mend or delete it in the file manager.
