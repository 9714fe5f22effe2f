## The status pushes of the dashboard (the Servers page) over a websocket.

live-events-too-many = Die Serverübersicht ist bereits { $max }-mal geöffnet: einige Tabs oder Fenster des Panels schließen.
live-events-only-sends = Dieser Socket sendet nur.
