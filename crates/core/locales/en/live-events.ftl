## The status pushes of the dashboard (the Servers page) over a websocket.

live-events-too-many = You have { $max } dashboards open already: close some tabs or windows of the panel.
live-events-only-sends = This socket only sends.
