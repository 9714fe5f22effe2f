## The dashboard: the servers list and the kept worlds.

dashboard-title = Servidores
dashboard-new-server = Servidor nuevo
dashboard-empty-title = Aún no hay servidores
dashboard-empty-text = Crear uno: elegir una plantilla y un plan, y arranca en el clúster.
dashboard-kept-title = Mundos conservados
dashboard-kept-text = Mundos de servidores eliminados. Un servidor nuevo con el mismo nombre recupera su mundo; hasta entonces, cada uno cuenta en la cuota de disco.
dashboard-kept-line = { $disk } GiB · conservado el { $when } · { $owner }
dashboard-kept-expires = se eliminará definitivamente el { $when }
dashboard-delete-confirm = Eliminar sus archivos definitivamente
dashboard-keep = Conservarlo
dashboard-delete = Eliminar definitivamente
