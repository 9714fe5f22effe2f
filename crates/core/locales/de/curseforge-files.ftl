## Mods and plugins from CurseForge, in CURSEFORGE_FILES (crates/core/src/mods/curseforge_files.rs).

curseforge-files-takes-none = Dieser Server nimmt keine Mods oder Plugins von CurseForge.
# what the server runs when it names no loader, in "for this server (…)"
curseforge-files-target-any = dieser Server
curseforge-files-no-fitting-file = { $project } hat auf CurseForge keine Datei für diesen Server ({ $target }).
curseforge-files-file-unknown = CurseForge führt keine Datei { $file } von { $project }.
curseforge-files-too-many-dependencies = Dafür sind mehr als { $max } weitere Projekte nötig: Zuerst die Abhängigkeiten installieren.
# name: the dependency's name, project: its number, reason: why it cannot be installed
curseforge-files-dependency-not-installable = Es braucht { $name } ({ $project }), das sich nicht installieren lässt: { $reason }
curseforge-files-too-many = Ein Server führt höchstens { $max } Dateien von CurseForge.
curseforge-files-variable-full = { $variable } fasst höchstens { $max } Zeichen: Zuerst einen Mod entfernen.
curseforge-files-not-installed = { $project } ist nicht installiert.
