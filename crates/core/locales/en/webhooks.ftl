## Webhooks, a server's or the panel's: adding, changing and testing them.

webhooks-not-found = No such webhook.
webhooks-name-invalid = Name the webhook in 1 to 64 characters.
webhooks-no-events = Choose at least one event to be told of.
webhooks-too-many = At most { $max } webhooks: delete one first.
webhooks-tests-waiting = Earlier deliveries of this webhook are still waiting; try again once they are through.
