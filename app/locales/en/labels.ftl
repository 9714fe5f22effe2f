## What each permission allows, and the webhook events.

labels-perm-view = See the server
labels-perm-console-read = See the console and stats
labels-perm-console-write = Type commands in the console
labels-perm-control-start = Start the server
labels-perm-control-stop = Stop the server
labels-perm-control-restart = Restart the server
labels-perm-control-kill = Kill the server
labels-perm-files-read = Browse and download files
labels-perm-files-write = Edit, upload, rename, pack and unpack files
labels-perm-files-delete = Delete files
labels-perm-settings = Change settings and plan
labels-perm-members = Add and remove members (never beyond their own rights)
labels-perm-backups = Make, restore and delete backups
labels-perm-schedules = Make, change and run schedules (tasks within their own rights)
labels-perm-players = Manage the whitelist and bans, kick players (operators also need console typing)
labels-perm-mods = Search, install and remove mods and plugins
labels-perm-delete = Delete the server
labels-event-started = Started
labels-event-stopped = Stopped
labels-event-crashed = Crashed
labels-event-backup-done = Backup done
labels-event-backup-failed = Backup failed
labels-event-player-joined = Player joined
labels-event-test = Test
