## A server's members: adding, changing and removing them.

members-no-user = Es gibt keinen Benutzer namens { $username }.
members-owner = { $username } ist bereits Besitzer dieses Servers.
members-own-permissions = Die eigenen Rechte können nicht geändert werden.
members-grant-lacking = { $permission } kann nicht vergeben werden: Das eigene Konto hat dieses Recht nicht.
members-holds-more = { $username } hat Rechte, die dem eigenen Konto fehlen; bitte an den Besitzer des Servers wenden.
members-not-member = Dieser Benutzer ist kein Mitglied dieses Servers.
members-member-holds-more = Dieses Mitglied hat Rechte, die dem eigenen Konto fehlen; bitte an den Besitzer des Servers wenden.
