## Where a webhook may send: why an address is refused.

webhooks-address-invalid = Introducir la dirección http:// o https:// del receptor.
webhooks-address-too-long = La dirección tiene más de 2048 caracteres.
webhooks-address-credentials = No poner nombre de usuario ni contraseña en la dirección.
webhooks-address-internal = Los webhooks no pueden llegar a la red propia del panel (direcciones de loopback, privadas o de enlace local).
