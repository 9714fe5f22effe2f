## Mods and plugins from Modrinth and SpigotMC (crates/core/src/mods.rs).

mods-no-loader = Die Vorlage dieses Servers nennt keinen Mod-Loader und keine Plugin-Plattform: Mods brauchen Fabric, Quilt, Forge, NeoForge, Paper, Purpur, Spigot oder Bukkit (oder ein Modrinth-Modpack).
mods-modpack-not-editable = Bei dieser Modpack-Vorlage können ihre Server kein Pack wählen: Dafür sind { $pack } und { $version } als Variablen nötig, die ihre Besitzer ändern dürfen.
mods-query-too-long = Die Suche darf nur eine Zeile mit höchstens { $max } Zeichen sein.
mods-takes-no-spiget = Dieser Server nimmt nichts von { $source }: Plugins von SpigotMC brauchen eine Paper- oder Purpur-Vorlage mit { $variable }.
mods-takes-no-curseforge = Dieser Server nimmt nichts von { $source }: CurseForge braucht den API-Schlüssel des Betreibers und eine Mod- oder Plugin-Vorlage mit { $variable }.
mods-takes-no-modrinth = Dieser Server nimmt nichts von { $source }: Seine Vorlage nimmt keine Mods.
# what the server runs when it names no loader, in "for this server (…)"
mods-target-modpack = ein Modpack-Server
mods-no-fitting-version = { $project } hat keine Version für diesen Server ({ $target }).
mods-version-unknown = Modrinth führt keine Version { $version } von { $project }.
mods-incompatible = Die Version { $version } läuft auf { $loaders } { $games }, nicht auf diesem Server ({ $target }).
mods-is-modpack = { $project } ist ein Modpack: Zum Ausführen einen Server aus der Modrinth-Modpack-Vorlage erstellen.
mods-not-modpack = { $project } ist kein Modpack: Dieser Server führt genau ein Modpack aus, das hier gewählt wird.
mods-too-many = Ein Server führt höchstens { $max } Mods.
mods-no-file = Die Version { $version } von { $project } hat keine Datei zum Installieren.
mods-bad-file-name = Modrinth hat der Datei einen Namen mit Zeichen gegeben, die ein Dateiname nicht enthalten kann.
mods-spiget-no-version = Plugins von SpigotMC werden in ihrer neuesten Version installiert (der Server lädt sie bei jedem Start): Eine Version lässt sich nicht wählen.
mods-spiget-too-many = Ein Server führt höchstens { $max } Plugins von SpigotMC.
mods-not-installed = { $project } ist nicht installiert.
mods-modpack-remove = Ein Modpack-Server führt sein Modpack aus: Stattdessen ein anderes wählen (Server anderer Vorlagen nutzen Mods ohne Modpack).
mods-variable-full = { $variable } fasst höchstens { $max } Zeichen: Zuerst einen Mod entfernen.
mods-no-such-server = Server nicht gefunden.
mods-no-sha512 = Modrinth nennt keinen SHA-512 für die Datei: Das Panel installiert nur Dateien, die es prüfen kann.
mods-download-broke-off = Der Download von Modrinth ist abgebrochen: { $error }
mods-file-too-large = Die Datei ist größer als { $max } MiB.
mods-sha512-mismatch = Der Download von { $file } passt nicht zum SHA-512, den Modrinth dafür nennt; es wurde nichts installiert.
mods-manifest-unreadable = { $file } (die Liste des Panels der installierten Mods) ist nicht lesbar; im Dateimanager reparieren oder löschen.
