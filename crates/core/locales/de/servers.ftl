## Servers: names, variables, the cluster's answers, quotas, plans, types and power.

servers-name-invalid = Der Name muss aus 1 bis { $max } Kleinbuchstaben, Ziffern oder Bindestrichen bestehen und mit einem Buchstaben oder einer Ziffer beginnen und enden.
servers-variable-unknown = Unbekannte Variable { $name }.
servers-variable-fixed = { $name } wird von der Vorlage festgelegt und kann nicht geändert werden.
servers-variable-too-long = { $name } ist zu lang.
servers-variable-one-line = { $name } muss eine einzige Zeile ohne Steuerzeichen sein.
servers-variable-required = { $name } ist erforderlich: { $description }.
servers-variable-invalid = { $name } ist ungültig: { $description }.
servers-cluster-unreachable = Der Cluster ist gerade nicht erreichbar; die Aktion wird wiederholt, sobald er wieder da ist.
servers-cluster-timeout = Der Cluster hat nicht rechtzeitig geantwortet; es wurde nichts geändert. Bitte gleich noch einmal versuchen.
servers-cluster-refused = Der Cluster hat abgelehnt: { $reason }
servers-not-found = Server nicht gefunden.
servers-extra-ports-exhausted = Alle Node-Ports von { $first } bis { $last } sind belegt: Den zusätzlichen Ports des Servers kann keiner zugewiesen werden. Es wurde nichts geändert.
servers-choose-template = Bitte eine Vorlage wählen.
servers-choose-plan = Bitte einen Tarif wählen.
servers-quota-servers = { $max ->
    [one] Das Limit von { $max } Server ist erreicht.
   *[other] Das Limit von { $max } Servern ist erreicht.
}
servers-quota-memory = Dieser Tarif braucht mehr Arbeitsspeicher, als das Kontingent übrig lässt: { $used } MiB von { $max } MiB sind belegt.
servers-quota-disk = Dieser Tarif braucht mehr Speicherplatz, als das Kontingent übrig lässt: { $used } GiB von { $max } GiB sind belegt (aufbewahrte Welten zählen mit, bis sie endgültig gelöscht werden).
servers-quota-node-ports = Alle Spielports dieses Panels ({ $first } bis { $last }) sind belegt; es kann erst wieder ein Server hinzugefügt werden, wenn einer gelöscht wird. Der Betreiber kann den Bereich erweitern (PANEL_NODE_PORTS).
servers-plan-not-found = Tarif nicht gefunden.
servers-disk-cannot-shrink = Der Speicher einer Welt kann nicht schrumpfen: Diese hat { $world } GiB, { $plan } bietet { $disk } GiB.
servers-default-storage-class = die Standardklasse des Clusters
servers-disk-cannot-grow = Der Speicher dieser Welt ({ $storage }) kann Volumes nicht vergrößern, und { $plan } braucht { $disk } GiB, wo sie { $world } GiB hat: einen Tarif mit gleich viel Speicher wählen oder einen Administrator fragen.
servers-template-not-found = Vorlage nicht gefunden.
servers-template-same = Der Server läuft bereits mit { $template }.
servers-template-stop-first = Zuerst den Server stoppen: Sein Typ wird im gestoppten Zustand geändert und gilt ab dem nächsten Start.
servers-template-data-path = { $new } speichert seine Welt in { $new_path }, nicht wie { $old } in { $old_path }: Die Welt würde nicht gefunden.
servers-template-started-meanwhile = Der Server wurde inzwischen gestartet: zuerst stoppen.
servers-idle-stop-range = Ein Leerlauf-Stopp dauert 1 bis { $max } Minuten (oder keiner).
servers-power-restoring = In diesen Server wird gerade ein Backup wiederhergestellt; er startet danach von selbst wieder.
servers-restart-stopped = Der Server ist gestoppt: starten statt neu starten.
servers-kill-not-running = Der Server läuft nicht.
