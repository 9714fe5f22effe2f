## How players reach a server: the join line, its copy button, and whether a join wakes it.

join-label = Beitreten
join-copy-label = Adresse kopieren: { $label }
join-copied = Kopiert
join-copy = Kopieren
join-port = Port
join-any-node = auf jedem Knoten des Clusters
join-waiting = wartet auf eine Adresse
join-internal = nur innerhalb des Clusters, unter
join-asleep = Schläft: wacht auf, wenn ein Spieler beitritt
