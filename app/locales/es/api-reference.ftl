## The API reference page: its headings, buttons and states (the document itself comes from the server).

api-reference-back = ← Cuenta
api-reference-title = Referencia de la API
api-reference-document = Documento OpenAPI
api-reference-loading = Cargando el documento de la API…
api-reference-no-window = No hay ventana del navegador.
api-reference-unreachable = No se pudo contactar con el panel. Reintentar en unos instantes.
api-reference-status = El panel respondió { $status }.
api-reference-unreadable = No se pudo leer el documento de la API.
api-reference-optional = opcional
api-reference-summary = Versión { $version }, { $count } endpoints. Los errores llegan como
api-reference-filter-placeholder = Buscar un endpoint (servers, backup, login…)
api-reference-filter = Buscar un endpoint
api-reference-arguments = Argumentos
api-reference-answer = Respuesta: { $type }
api-reference-types = Tipos
