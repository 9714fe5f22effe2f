## Creating a server: name, template, plan, settings.

new-server-title = New server
new-server-name = Name
new-server-name-placeholder = survival
new-server-name-hint = Lowercase letters, digits and dashes; up to 40.
new-server-template = Template
new-server-plan = Plan
new-server-plan-option = { $name } ({ $memory } MiB for Java, { $disk } GiB disk)
new-server-settings = Settings
new-server-creating = Creating…
new-server-create = Create and start
