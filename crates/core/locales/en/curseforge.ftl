## CurseForge's API (crates/core/src/curseforge.rs).

curseforge-not-found = CurseForge has no such project or file.
curseforge-rate-limited = CurseForge asks the panel to slow down: try again in { $secs } seconds.
curseforge-forbidden = CurseForge refused the panel: its API key is wrong or was revoked, or CurseForge is limiting it (try again in a minute; if it lasts, tell the operator).
curseforge-failed = CurseForge could not be reached or failed: { $why }
curseforge-not-a-mod = { $name } is not a mod on CurseForge, which is what this server takes.
curseforge-not-a-plugin = { $name } is not a Bukkit plugin on CurseForge, which is what this server takes.
curseforge-own-app-only = { $name }'s author lets only CurseForge's own app download it: upload its file in the file manager.
# the reason in curseforge-failed
curseforge-no-key = no API key is set
