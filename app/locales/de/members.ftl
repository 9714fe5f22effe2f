## A server's members: who it is shared with and what each may do.

members-title = Mitglieder
members-intro = Diesen Server mit anderen Benutzern teilen, jeweils mit genau den Rechten, die sie brauchen.
members-loading = Mitglieder werden geladen…
members-none = Noch niemand sonst.
members-edit = Bearbeiten
members-remove = Entfernen
members-username = Benutzername
members-save = Mitglied hinzufügen oder ändern
members-saved = { $username } darf jetzt: { $permissions }.
members-removed = Entfernt.
members-preset-viewer = Zuschauer
members-preset-moderator = Moderator
members-preset-builder = Baumeister
members-preset-manager = Verwalter
