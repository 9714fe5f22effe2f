## A server's members: who it is shared with and what each may do.

members-title = Members
members-intro = Share this server with other users, each with exactly the rights they need.
members-loading = Loading members…
members-none = Nobody else yet.
members-edit = Edit
members-remove = Remove
members-username = Username
members-save = Add or update member
members-saved = { $username } can now: { $permissions }.
members-removed = Removed.
members-preset-viewer = Viewer
members-preset-moderator = Moderator
members-preset-builder = Builder
members-preset-manager = Manager
