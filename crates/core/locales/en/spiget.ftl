## SpigotMC's resources through Spiget (crates/core/src/spiget.rs).

spiget-not-found = SpigotMC has no such resource.
spiget-rate-limited = Spiget asks the panel to slow down: try again in { $secs } seconds.
spiget-forbidden = Spiget refused the panel (403).
spiget-failed = Spiget could not be reached or failed: { $why }
spiget-premium = { $name } is a premium resource: SpigotMC sells it, and only its buyer can download it (upload the file in the file manager).
spiget-external = { $name } is not a plugin file SpigotMC hosts (it links to another site): install it from there in the file manager.
