## The page for unknown addresses.

not-found-title = Page not found
not-found-text = There is nothing at this address.
not-found-back = Back to the dashboard
