## The frame of signed-in pages (the panel unreachable) and the servers' status badge.

guard-unreachable = Das Panel ist nicht erreichbar
guard-try-again = Erneut versuchen
guard-status-installing = wird installiert
guard-status-starting = startet
guard-status-running = läuft
guard-status-stopping = stoppt
guard-status-stopped = gestoppt
guard-status-crashed = abgestürzt
guard-status-error = Fehler
