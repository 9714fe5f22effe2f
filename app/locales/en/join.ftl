## How players reach a server: the join line, its copy button, and whether a join wakes it.

join-label = Join
join-copy-label = Copy the address: { $label }
join-copied = Copied
join-copy = Copy
join-port = port
join-any-node = on any node of the cluster
join-waiting = waiting for an address
join-internal = inside the cluster only, at
join-asleep = Asleep: wakes when a player joins
