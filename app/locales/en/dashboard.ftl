## The dashboard: the servers list and the kept worlds.

dashboard-title = Servers
dashboard-new-server = New server
dashboard-empty-title = No servers yet
dashboard-empty-text = Create one: pick a template and a plan, and it starts on the cluster.
dashboard-kept-title = Kept worlds
dashboard-kept-text = Worlds of deleted servers. Create a server with the same name to get one back; until then each counts in your disk quota.
dashboard-kept-line = { $disk } GiB · kept { $when } · { $owner }
dashboard-kept-expires = deleted for good on { $when }
dashboard-delete-confirm = Delete its files for good
dashboard-keep = Keep it
dashboard-delete = Delete for good
