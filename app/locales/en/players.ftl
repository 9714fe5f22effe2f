## Who is on a server: the Players card of the server page and the count on the dashboard's cards.

players-online = { $max } players online
players-latency = answered in { $ms } ms
players-badge = { $online } / { $max } online
