## The activity (audit log) page.

audit-title = Aktivität
audit-server = Server
audit-all-servers = Alle Server
audit-action-placeholder = Aktion (file., server.power…)
audit-action = Aktion
audit-filter = Filtern
audit-system = System
audit-on-server = auf { $server }
audit-ok = OK
audit-empty = Noch nichts aufgezeichnet.
audit-older = Ältere Einträge
