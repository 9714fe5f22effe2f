## The API reference page: its headings, buttons and states (the document itself comes from the server).

api-reference-back = ← Konto
api-reference-title = API-Referenz
api-reference-document = OpenAPI-Dokument
api-reference-loading = API-Dokument wird geladen…
api-reference-no-window = Kein Browserfenster.
api-reference-unreachable = Das Panel ist nicht erreichbar. Gleich noch einmal versuchen.
api-reference-status = Das Panel antwortete mit { $status }.
api-reference-unreadable = Das API-Dokument konnte nicht gelesen werden.
api-reference-optional = optional
api-reference-summary = Version { $version }, { $count } { $count ->
    [one] Endpunkt
   *[other] Endpunkte
}. Fehler kommen als
api-reference-filter-placeholder = Endpunkt suchen (servers, backup, login…)
api-reference-filter = Endpunkt suchen
api-reference-arguments = Argumente
api-reference-answer = Antwort: { $type }
api-reference-types = Typen
