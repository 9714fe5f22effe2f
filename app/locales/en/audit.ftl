## The activity (audit log) page.

audit-title = Activity
audit-server = Server
audit-all-servers = All servers
audit-action-placeholder = Action (file., server.power…)
audit-action = Action
audit-filter = Filter
audit-system = system
audit-on-server = on { $server }
audit-ok = ok
audit-empty = Nothing recorded yet.
audit-older = Older entries
