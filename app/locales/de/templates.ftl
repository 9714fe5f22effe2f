## The templates page (administrators): export, import, delete.

templates-back = ← Server
templates-title = Vorlagen
templates-admins-only = Nur Administratoren verwalten Vorlagen.
templates-export = Exportieren
templates-delete-ask = Löschen…
templates-delete = Löschen
templates-cancel = Abbrechen
templates-download = Herunterladen
templates-edit-as-new = Als neue Vorlage bearbeiten
templates-close = Schließen
templates-import = Importieren
templates-import-help = Ein Vorlagendokument einfügen ({ "{" }"name", "description", "spec"{ "}" }) – ein bearbeiteter Export. Sein Slug muss neu sein.
templates-json = Vorlagen-JSON
templates-importing = Wird importiert…
templates-imported = { $name } importiert.
templates-not-a-document = Das ist kein Vorlagendokument: { $error }
