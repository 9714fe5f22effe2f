## A running server's live figures at the top of its page: players, CPU, memory, uptime.

figures-players = Spieler
figures-cpu = CPU
figures-memory = Arbeitsspeicher
figures-uptime = Laufzeit
figures-memory-mib = { $mib } MiB
figures-uptime-secs = { $s } s
figures-uptime-mins = { $min } min
figures-uptime-hours = { $h } h { $min } min
figures-uptime-days = { $d } T { $h } h
