## How players reach a server: the join line, its copy button, and whether a join wakes it.

join-label = Unirse
join-copy-label = Copiar la dirección: { $label }
join-copied = Copiado
join-copy = Copiar
join-port = puerto
join-any-node = en cualquier nodo del clúster
join-waiting = esperando una dirección
join-internal = solo dentro del clúster, en
join-asleep = Dormido: despierta cuando se une un jugador
