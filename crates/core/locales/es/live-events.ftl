## The status pushes of the dashboard (the Servers page) over a websocket.

live-events-too-many = La lista de servidores ya está abierta { $max } veces: cerrar algunas pestañas o ventanas del panel.
live-events-only-sends = Este socket solo envía.
