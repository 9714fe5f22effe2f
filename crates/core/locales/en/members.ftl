## A server's members: adding, changing and removing them.

members-no-user = There is no user called { $username }.
members-owner = { $username } owns this server already.
members-own-permissions = You cannot change your own permissions.
members-grant-lacking = You cannot grant { $permission }: you do not have it yourself.
members-holds-more = { $username } holds permissions you do not have; ask the server's owner.
members-not-member = That user is not a member of this server.
members-member-holds-more = This member holds permissions you do not have; ask the server's owner.
