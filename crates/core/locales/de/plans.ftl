## Plans: checking, renaming and deleting them. The check's reasons go into plans-invalid.

plans-check-slug = Slug: 1 bis 32 Kleinbuchstaben, Ziffern und Bindestriche
plans-check-name = Name: 1 bis 64 Zeichen
plans-check-cpu-limit = CPU-Limit: 100 bis 64 000 Millicores
plans-check-cpu-request = CPU-Anforderung: 50 Millicores bis zum Limit
plans-check-memory = Arbeitsspeicher: 512 MiB bis 256 GiB
plans-check-disk = Speicherplatz: 1 bis 10 240 GiB
plans-check-backups = aufbewahrte Backups: 0 bis 1000
plans-check-backup-space = Backup-Speicher: 0 (unbegrenzt) bis 100 000 GiB
plans-invalid = Der Tarif ist ungültig: { $reason }.
plans-name-length = Namen haben 1 bis 64 Zeichen.
plans-not-found = Tarif nicht gefunden.
