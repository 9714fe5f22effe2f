## Notices of servers that start, crash or fail: the toasts and the system notifications.

notifier-title = Panel
notifier-started = { $name } is running: players can join.
notifier-crashed-because = { $name } crashed: { $reason }
notifier-crashed = { $name } crashed.
notifier-failed-because = { $name } cannot run: { $reason }
notifier-failed = { $name } cannot run.
notifier-dismiss = Dismiss
