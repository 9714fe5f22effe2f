## Mods and plugins from CurseForge, in CURSEFORGE_FILES (crates/core/src/mods/curseforge_files.rs).

curseforge-files-takes-none = Este servidor no admite mods ni plugins de CurseForge.
# what the server runs when it names no loader, in "for this server (…)"
curseforge-files-target-any = este servidor
curseforge-files-no-fitting-file = { $project } no tiene ningún archivo en CurseForge para este servidor ({ $target }).
curseforge-files-file-unknown = CurseForge no incluye el archivo { $file } de { $project }.
curseforge-files-too-many-dependencies = Necesita más de { $max } proyectos más: primero hay que instalar sus dependencias.
# name: the dependency's name, project: its number, reason: why it cannot be installed
curseforge-files-dependency-not-installable = Necesita { $name } ({ $project }), que no se puede instalar: { $reason }
curseforge-files-too-many = Un servidor admite como máximo { $max } archivos de CurseForge.
curseforge-files-variable-full = { $variable } admite como máximo { $max } caracteres: primero hay que quitar un mod.
curseforge-files-not-installed = { $project } no está instalado.
