## Plans: checking, renaming and deleting them. The check's reasons go into plans-invalid.

plans-check-slug = slug: de 1 a 32 letras minúsculas, dígitos y guiones
plans-check-name = nombre: de 1 a 64 caracteres
plans-check-cpu-limit = límite de CPU: de 100 a 64 000 milinúcleos
plans-check-cpu-request = reserva de CPU: de 50 milinúcleos hasta el límite
plans-check-memory = memoria: de 512 MiB a 256 GiB
plans-check-disk = disco: de 1 a 10 240 GiB
plans-check-backups = copias de seguridad guardadas: de 0 a 1000
plans-check-backup-space = espacio para copias de seguridad: de 0 (sin límite) a 100 000 GiB
plans-invalid = El plan no es válido: { $reason }.
plans-name-length = Los nombres tienen de 1 a 64 caracteres.
plans-not-found = No existe ese plan.
