## The templates page (administrators): export, import, delete.

templates-back = ← Servers
templates-title = Templates
templates-admins-only = Only administrators manage templates.
templates-export = Export
templates-delete-ask = Delete…
templates-delete = Delete
templates-cancel = Cancel
templates-download = Download
templates-edit-as-new = Edit as a new template
templates-close = Close
templates-import = Import
templates-import-help = Paste a template document ({ "{" }"name", "description", "spec"{ "}" }) — an export, edited. Its slug must be new.
templates-json = Template JSON
templates-importing = Importing…
templates-imported = Imported { $name }.
templates-not-a-document = That is not a template document: { $error }
