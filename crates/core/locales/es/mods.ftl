## Mods and plugins from Modrinth and SpigotMC (crates/core/src/mods.rs).

mods-no-loader = La plantilla de este servidor no indica ningún cargador de mods ni plataforma de plugins: los mods necesitan Fabric, Quilt, Forge, NeoForge, Paper, Purpur, Spigot o Bukkit (o un modpack de Modrinth).
mods-modpack-not-editable = Esta plantilla de modpack no permite a sus servidores elegir su pack: necesita { $pack } y { $version } como variables que sus propietarios puedan cambiar.
mods-query-too-long = La búsqueda debe ser una sola línea de hasta { $max } caracteres.
mods-takes-no-spiget = Este servidor no admite nada de { $source }: los plugins de SpigotMC necesitan una plantilla de Paper o Purpur con { $variable }.
mods-takes-no-curseforge = Este servidor no admite nada de { $source }: CurseForge necesita la clave de API del operador y una plantilla de mods o plugins con { $variable }.
mods-takes-no-modrinth = Este servidor no admite nada de { $source }: su plantilla no admite mods.
# what the server runs when it names no loader, in "for this server (…)"
mods-target-modpack = un servidor de modpack
mods-no-fitting-version = { $project } no tiene ninguna versión para este servidor ({ $target }).
mods-version-unknown = Modrinth no incluye la versión { $version } de { $project }.
mods-incompatible = La versión { $version } funciona con { $loaders } { $games }, no con este servidor ({ $target }).
mods-is-modpack = { $project } es un modpack: para ejecutarlo, hay que crear un servidor con la plantilla de modpack de Modrinth.
mods-not-modpack = { $project } no es un modpack: este servidor ejecuta un único modpack, elegido aquí.
mods-too-many = Un servidor admite como máximo { $max } mods.
mods-no-file = La versión { $version } de { $project } no tiene ningún archivo para instalar.
mods-bad-file-name = Modrinth dio al archivo un nombre con caracteres que un nombre de archivo no admite.
mods-spiget-no-version = Los plugins de SpigotMC se instalan en su versión más reciente (el servidor la descarga en cada inicio): no se puede elegir una versión.
mods-spiget-too-many = Un servidor admite como máximo { $max } plugins de SpigotMC.
mods-not-installed = { $project } no está instalado.
mods-modpack-remove = Un servidor de modpack ejecuta su modpack: en su lugar, hay que elegir otro (los servidores de otras plantillas usan mods sin modpack).
mods-variable-full = { $variable } admite como máximo { $max } caracteres: primero hay que quitar un mod.
mods-no-such-server = Servidor no encontrado.
mods-no-sha512 = Modrinth no indica ningún SHA-512 para el archivo: el panel solo instala archivos que puede comprobar.
mods-download-broke-off = La descarga desde Modrinth se interrumpió: { $error }
mods-file-too-large = El archivo supera los { $max } MiB.
mods-sha512-mismatch = La descarga de { $file } no coincide con el SHA-512 que Modrinth indica para él; no se instaló nada.
mods-manifest-unreadable = { $file } (el registro del panel de los mods instalados) no se puede leer; hay que repararlo o borrarlo en el gestor de archivos.
