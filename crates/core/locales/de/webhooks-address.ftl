## Where a webhook may send: why an address is refused.

webhooks-address-invalid = Die http://- oder https://-Adresse des Empfängers eingeben.
webhooks-address-too-long = Die Adresse ist länger als 2048 Zeichen.
webhooks-address-credentials = Keinen Benutzernamen und kein Passwort in die Adresse schreiben.
webhooks-address-internal = Webhooks können das eigene Netz des Panels nicht erreichen (Loopback-, private oder Link-Local-Adressen).
