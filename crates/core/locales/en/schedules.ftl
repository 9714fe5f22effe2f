## A server's schedules: why one is refused as it is saved.

schedules-cron-fields = A schedule's time is cron's five fields (minute hour day month weekday), such as "0 4 * * *"; this has { $fields }.
schedules-cron-invalid = That cron is not understood: { $error }.
schedules-zone-invalid = "{ $zone }" is not a time zone; use one such as Europe/Berlin or UTC.
schedules-name-invalid = A schedule's name is 1 to 64 characters, on one line.
schedules-idle-invalid = An idle trigger waits 1 to 1440 minutes without a player.
schedules-tasks-count = A schedule has 1 to { $max } tasks.
schedules-task-wait = Task { $n } waits at most { $minutes } minutes.
schedules-task-error = Task { $n }: { $error }
schedules-task-paths = Task { $n } deletes 1 to { $max } paths.
schedules-task-root = Task { $n }: the server's folder itself cannot be deleted.
schedules-pattern-length = A console pattern is 1 to 200 characters.
schedules-pattern-invalid = That console pattern is not a regular expression: { $error }
schedules-task-forbidden = A schedule's tasks act with your rights: you do not have the { $permission } permission on this server.
schedules-not-found = No such schedule.
schedules-name-taken = The server has a schedule of that name already.
