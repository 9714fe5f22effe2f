## The catalogue's own example, for its test.

i18n-example = El panel habla español.
i18n-example-count = { $count ->
    [one] { $count } idioma
   *[other] { $count } idiomas
}
