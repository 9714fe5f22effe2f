## A running server's live figures at the top of its page: players, CPU, memory, uptime.

figures-players = Jugadores
figures-cpu = CPU
figures-memory = Memoria
figures-uptime = Tiempo activo
figures-memory-mib = { $mib } MiB
figures-uptime-secs = { $s } s
figures-uptime-mins = { $min } min
figures-uptime-hours = { $h } h { $min } min
figures-uptime-days = { $d } d { $h } h
