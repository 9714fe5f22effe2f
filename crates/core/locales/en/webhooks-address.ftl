## Where a webhook may send: why an address is refused.

webhooks-address-invalid = Enter the receiver's http:// or https:// address.
webhooks-address-too-long = The address is longer than 2048 characters.
webhooks-address-credentials = Put no user name or password in the address.
webhooks-address-internal = Webhooks cannot reach the panel's own network (loopback, private or link-local addresses).
