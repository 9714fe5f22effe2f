## The templates page (administrators): export, import, delete.

templates-back = ← Servidores
templates-title = Plantillas
templates-admins-only = Solo los administradores gestionan las plantillas.
templates-export = Exportar
templates-delete-ask = Eliminar…
templates-delete = Eliminar
templates-cancel = Cancelar
templates-download = Descargar
templates-edit-as-new = Editar como plantilla nueva
templates-close = Cerrar
templates-import = Importar
templates-import-help = Pegar un documento de plantilla ({ "{" }"name", "description", "spec"{ "}" }): una exportación editada. Su slug debe ser nuevo.
templates-json = JSON de la plantilla
templates-importing = Importando…
templates-imported = { $name } importada.
templates-not-a-document = No es un documento de plantilla: { $error }
