## The frame of signed-in pages (the panel unreachable) and the servers' status badge.

guard-unreachable = Cannot reach the panel
guard-try-again = Try again
guard-status-installing = installing
guard-status-starting = starting
guard-status-running = running
guard-status-stopping = stopping
guard-status-stopped = stopped
guard-status-crashed = crashed
guard-status-error = error
