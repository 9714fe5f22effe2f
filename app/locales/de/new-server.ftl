## Creating a server: name, template, plan, settings.

new-server-title = Neuer Server
new-server-name = Name
new-server-name-placeholder = survival
new-server-name-hint = Kleinbuchstaben, Ziffern und Bindestriche; höchstens 40.
new-server-template = Vorlage
new-server-plan = Tarif
new-server-plan-option = { $name } ({ $memory } MiB für Java, { $disk } GiB Speicher)
new-server-settings = Einstellungen
new-server-creating = Wird erstellt…
new-server-create = Erstellen und starten
