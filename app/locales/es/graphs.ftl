## Graphs of CPU, memory and players, a server's or the whole panel's.

graphs-title = Uso
graphs-panel-title = Uso del panel
graphs-how-far-back = Periodo
graphs-last-hours = Últimas { $hours } h
graphs-loading = Cargando las gráficas…
graphs-empty = Aún no hay nada: se toma un punto cada minuto mientras un servidor está en marcha.
graphs-cpu = CPU
graphs-memory = Memoria
graphs-players = Jugadores
graphs-since = desde las { $time }
graphs-hours-ago = hace { $hours } h
graphs-summary = ahora { $now } · máximo { $top }
graphs-no-figures = sin datos del clúster
graphs-chart-label = { $title } { $hours ->
        [one] en la última hora
       *[other] en las últimas { $hours } horas
    }
graphs-now = ahora
