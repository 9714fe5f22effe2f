## Graphs of CPU, memory and players, a server's or the whole panel's.

graphs-title = Auslastung
graphs-panel-title = Auslastung des Panels
graphs-how-far-back = Zeitraum
graphs-last-hours = Letzte { $hours } h
graphs-loading = Diagramme werden geladen…
graphs-empty = Noch nichts: Solange ein Server läuft, wird jede Minute ein Messpunkt erfasst.
graphs-cpu = CPU
graphs-memory = Arbeitsspeicher
graphs-players = Spieler
graphs-since = seit { $time }
graphs-hours-ago = vor { $hours } h
graphs-summary = jetzt { $now } · Spitze { $top }
graphs-no-figures = keine Werte vom Cluster
graphs-chart-label = { $title } { $hours ->
        [one] in der letzten Stunde
       *[other] in den letzten { $hours } Stunden
    }
graphs-now = jetzt
