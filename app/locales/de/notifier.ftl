## Notices of servers that start, crash or fail: the toasts and the system notifications.

notifier-title = Panel
notifier-started = { $name } läuft: Spieler können beitreten.
notifier-crashed-because = { $name } ist abgestürzt: { $reason }
notifier-crashed = { $name } ist abgestürzt.
notifier-failed-because = { $name } kann nicht laufen: { $reason }
notifier-failed = { $name } kann nicht laufen.
notifier-dismiss = Schließen
