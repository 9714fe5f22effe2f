## Graphs of CPU, memory and players, a server's or the whole panel's.

graphs-title = Use
graphs-panel-title = The panel's use
graphs-how-far-back = How far back
graphs-last-hours = Last { $hours } h
graphs-loading = Loading the graphs…
graphs-empty = Nothing yet: a point is taken every minute while a server runs.
graphs-cpu = CPU
graphs-memory = Memory
graphs-players = Players
graphs-since = since { $time }
graphs-hours-ago = { $hours } h ago
graphs-summary = now { $now } · top { $top }
graphs-no-figures = no figures from the cluster
graphs-chart-label = { $title } over the last { $hours } hours
graphs-now = now
