## Mods and plugins from CurseForge, in CURSEFORGE_FILES (crates/core/src/mods/curseforge_files.rs).

curseforge-files-takes-none = This server takes no mods or plugins from CurseForge.
# what the server runs when it names no loader, in "for this server (…)"
curseforge-files-target-any = this server
curseforge-files-no-fitting-file = { $project } has no file on CurseForge for this server ({ $target }).
curseforge-files-file-unknown = CurseForge does not list the file { $file } for { $project }.
curseforge-files-too-many-dependencies = This needs more than { $max } other projects: install its dependencies first.
# name: the dependency's name, project: its number, reason: why it cannot be installed
curseforge-files-dependency-not-installable = It needs { $name } ({ $project }), which cannot be installed: { $reason }
curseforge-files-too-many = A server lists at most { $max } files from CurseForge.
curseforge-files-variable-full = { $variable } holds at most { $max } characters: remove a mod first.
curseforge-files-not-installed = { $project } is not installed.
