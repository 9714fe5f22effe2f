## The catalogue's own example, for its test.

i18n-example = The panel speaks English.
i18n-example-count = { $count ->
    [one] { $count } language
   *[other] { $count } languages
}
