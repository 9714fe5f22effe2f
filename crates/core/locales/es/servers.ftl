## Servers: names, variables, the cluster's answers, quotas, plans, types and power.

servers-name-invalid = El nombre debe tener de 1 a { $max } letras minúsculas, dígitos o guiones, y empezar y terminar con una letra o un dígito.
servers-variable-unknown = Variable desconocida: { $name }.
servers-variable-fixed = { $name } lo fija la plantilla y no se puede cambiar.
servers-variable-too-long = { $name } es demasiado largo.
servers-variable-one-line = { $name } debe ser una sola línea, sin caracteres de control.
servers-variable-required = { $name } es obligatorio: { $description }.
servers-variable-invalid = { $name } no es válido: { $description }.
servers-cluster-unreachable = El clúster no está accesible ahora; la acción se reintentará cuando vuelva a estarlo.
servers-cluster-timeout = El clúster no respondió a tiempo; no se cambió nada. Volver a intentarlo en un momento.
servers-cluster-refused = El clúster lo rechazó: { $reason }
servers-not-found = No existe ese servidor.
servers-extra-ports-exhausted = Todos los puertos de nodo de { $first } a { $last } están ocupados: no se puede asignar uno a los puertos adicionales del servidor. No se cambió nada.
servers-choose-template = Elegir una plantilla.
servers-choose-plan = Elegir un plan.
servers-quota-servers = { $max ->
    [one] Se ha alcanzado el límite de { $max } servidor.
   *[other] Se ha alcanzado el límite de { $max } servidores.
}
servers-quota-memory = Este plan necesita más memoria de la que deja la cuota: { $used } MiB de { $max } MiB están en uso.
servers-quota-disk = Este plan necesita más disco del que deja la cuota: { $used } GiB de { $max } GiB están en uso (los mundos conservados cuentan hasta que se eliminen definitivamente).
servers-quota-node-ports = Todos los puertos de juego de este panel ({ $first } a { $last }) están ocupados, así que no se puede añadir ningún servidor hasta que se elimine uno. El operador puede ampliar el rango (PANEL_NODE_PORTS).
servers-plan-not-found = No existe ese plan.
servers-disk-cannot-shrink = El disco de un mundo no puede reducirse: este tiene { $world } GiB y { $plan } ofrece { $disk } GiB.
servers-default-storage-class = la clase predeterminada del clúster
servers-disk-cannot-grow = El almacenamiento de este mundo ({ $storage }) no puede ampliar volúmenes, y { $plan } necesita { $disk } GiB donde tiene { $world } GiB: elegir un plan con el mismo disco o consultar a un administrador.
servers-template-not-found = No existe esa plantilla.
servers-template-same = El servidor ya usa { $template }.
servers-template-stop-first = Primero hay que detener el servidor: su tipo cambia mientras está detenido y se aplica en el próximo arranque.
servers-template-data-path = { $new } guarda su mundo en { $new_path }, no en { $old_path } como { $old }: el mundo no se encontraría.
servers-template-started-meanwhile = El servidor se inició mientras tanto: primero hay que detenerlo.
servers-idle-stop-range = Una parada por inactividad es de 1 a { $max } minutos (o ninguna).
servers-power-restoring = Se está restaurando una copia de seguridad en este servidor; vuelve a iniciarse solo al terminar.
servers-restart-stopped = El servidor está detenido: iniciarlo en lugar de reiniciarlo.
servers-kill-not-running = El servidor no está en marcha.
