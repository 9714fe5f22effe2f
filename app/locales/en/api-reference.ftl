## The API reference page: its headings, buttons and states (the document itself comes from the server).

api-reference-back = ← Account
api-reference-title = API reference
api-reference-document = OpenAPI document
api-reference-loading = Loading the API document…
api-reference-no-window = No browser window.
api-reference-unreachable = The panel could not be reached. Try again in a moment.
api-reference-status = The panel answered { $status }.
api-reference-unreadable = The API document could not be read.
api-reference-optional = optional
api-reference-summary = Version { $version }, { $count } endpoints. Errors come as
api-reference-filter-placeholder = Find an endpoint (servers, backup, login…)
api-reference-filter = Find an endpoint
api-reference-arguments = Arguments
api-reference-answer = Answer: { $type }
api-reference-types = Types
