## CurseForge's API (crates/core/src/curseforge.rs).

curseforge-not-found = Dieses Projekt oder diese Datei gibt es auf CurseForge nicht.
curseforge-rate-limited = CurseForge bittet das Panel, langsamer zu werden: { $secs ->
    [one] in einer Sekunde
   *[other] in { $secs } Sekunden
} erneut versuchen.
curseforge-forbidden = CurseForge hat das Panel abgewiesen: Sein API-Schlüssel ist falsch oder wurde widerrufen, oder CurseForge bremst es (in einer Minute erneut versuchen; hält es an, den Betreiber informieren).
curseforge-failed = CurseForge war nicht erreichbar oder ist fehlgeschlagen: { $why }
curseforge-not-a-mod = { $name } ist auf CurseForge kein Mod, und nur Mods nimmt dieser Server.
curseforge-not-a-plugin = { $name } ist auf CurseForge kein Bukkit-Plugin, und nur solche nimmt dieser Server.
curseforge-own-app-only = Der Autor von { $name } erlaubt den Download nur über die eigene App von CurseForge: Die Datei im Dateimanager hochladen.
# the reason in curseforge-failed
curseforge-no-key = Es ist kein API-Schlüssel gesetzt
