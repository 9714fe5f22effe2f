## Notices of servers that start, crash or fail: the toasts and the system notifications.

notifier-title = Panel
notifier-started = { $name } está en marcha: los jugadores ya pueden unirse.
notifier-crashed-because = { $name } se ha caído: { $reason }
notifier-crashed = { $name } se ha caído.
notifier-failed-because = { $name } no puede funcionar: { $reason }
notifier-failed = { $name } no puede funcionar.
notifier-dismiss = Descartar
