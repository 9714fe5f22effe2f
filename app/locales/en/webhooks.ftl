## Webhooks, a server's or the panel's: the list, the delivery log and the form to add one.

webhooks-title = Webhooks
webhooks-panel-title = The panel's webhooks
webhooks-intro = Tell Discord or any service when this server starts, stops, crashes, backs up or a player joins.
webhooks-panel-intro = Told of every server. A server's owner adds its own on its page.
webhooks-secret-before = JSON deliveries are signed with this secret (the{ " " }
webhooks-secret-after = { " " }header); copy it now, it is not shown again:
webhooks-loading = Loading webhooks…
webhooks-empty = No webhooks yet.
webhooks-add-title = Add a webhook
webhooks-name = Name
webhooks-name-placeholder = Discord #status
webhooks-address = Address
webhooks-discord = A Discord channel's webhook (otherwise signed JSON)
webhooks-events = Tell it when
webhooks-add = Add webhook
webhooks-adding = Adding…
webhooks-format-json = signed JSON
webhooks-off = off
webhooks-test = Send a test
webhooks-deliveries = Deliveries
webhooks-hide-deliveries = Hide deliveries
webhooks-turn-off = Turn off
webhooks-turn-on = Turn on
webhooks-delete = Delete
webhooks-refresh = Refresh
webhooks-nothing-sent = Nothing sent yet.
webhooks-state-delivered = delivered
webhooks-state-pending = to try again
webhooks-state-failed = failed
webhooks-answered = answered { $status }
webhooks-attempts = { $count } { $count ->
        [one] try
       *[other] tries
    }
