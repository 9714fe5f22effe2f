## Who is on a server: the Players card of the server page and the count on the dashboard's cards.

players-online = { $max } jugadores en línea
players-latency = respondió en { $ms } ms
players-badge = { $online } / { $max } en línea
