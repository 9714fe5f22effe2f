## The catalogue's own example, for its test.

i18n-example = Das Panel spricht Deutsch.
i18n-example-count = { $count ->
    [one] { $count } Sprache
   *[other] { $count } Sprachen
}
