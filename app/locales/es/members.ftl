## A server's members: who it is shared with and what each may do.

members-title = Miembros
members-intro = Compartir este servidor con otros usuarios, cada uno con exactamente los permisos que necesita.
members-loading = Cargando los miembros…
members-none = Todavía no hay nadie más.
members-edit = Editar
members-remove = Quitar
members-username = Nombre de usuario
members-save = Añadir o actualizar el miembro
members-saved = { $username } ahora puede: { $permissions }.
members-removed = Quitado.
members-preset-viewer = Observador
members-preset-moderator = Moderador
members-preset-builder = Constructor
members-preset-manager = Gestor
