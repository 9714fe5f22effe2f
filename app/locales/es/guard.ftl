## The frame of signed-in pages (the panel unreachable) and the servers' status badge.

guard-unreachable = No se puede conectar con el panel
guard-try-again = Reintentar
guard-status-installing = instalando
guard-status-starting = iniciando
guard-status-running = en marcha
guard-status-stopping = deteniéndose
guard-status-stopped = detenido
guard-status-crashed = caído
guard-status-error = error
