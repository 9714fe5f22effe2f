## Plans: checking, renaming and deleting them. The check's reasons go into plans-invalid.

plans-check-slug = slug: 1 to 32 lowercase letters, digits and dashes
plans-check-name = name: 1 to 64 characters
plans-check-cpu-limit = CPU limit: 100 to 64 000 millicores
plans-check-cpu-request = CPU request: 50 millicores up to the limit
plans-check-memory = memory: 512 MiB to 256 GiB
plans-check-disk = disk: 1 to 10 240 GiB
plans-check-backups = backups kept: 0 to 1000
plans-check-backup-space = backup space: 0 (no limit) to 100 000 GiB
plans-invalid = The plan is not valid: { $reason }.
plans-name-length = Names are 1 to 64 characters.
plans-not-found = No such plan.
