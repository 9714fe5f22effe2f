## A server's backups: making, restoring, downloading and deleting them, and why that is refused.

backups-not-set-up = Backups sind auf diesem Panel nicht eingerichtet: Der Betreiber legt dafür ein Repository fest (PANEL_BACKUP_REPOSITORY).
backups-not-found = Backup nicht gefunden.
backups-only-finished-restored = Nur ein fertiges Backup kann wiederhergestellt werden.
backups-only-finished-downloaded = Nur ein fertiges Backup kann heruntergeladen werden.
backups-exclude-too-many = Höchstens { $max } Muster auslassen.
backups-exclude-invalid = Ein Muster ist einzeilig und höchstens 200 Zeichen lang: { $pattern } ist es nicht.
backups-name-invalid = Der Name eines Backups ist einzeilig und 1 bis 64 Zeichen lang.
backups-not-changed-version = Die Version wurde nicht geändert: Das Backup davor konnte nicht starten ({ $error }).
backups-not-changed-type = Der Servertyp wurde nicht geändert: Das Backup davor konnte nicht starten ({ $error }).
backups-not-changed-modpack = Das Modpack wurde nicht geändert: Das Backup davor konnte nicht starten ({ $error }).
backups-not-changed-mod-list = Die Mod-Liste wurde nicht geändert: Das Backup davor konnte nicht starten ({ $error }).
backups-not-changed = Nicht geändert ({ $what }): Das Backup davor konnte nicht starten ({ $error }).
backups-before-change-running = Das Backup vor dieser Änderung läuft noch; nach seinem Ende erneut versuchen.
backups-being-restored = Der Server wird gerade wiederhergestellt; bitte warten.
backups-space-full = Der Tarif behält höchstens { $max } GiB Backups pro Server, und die dieses Servers belegen { $used } GiB: zuerst eines löschen.
backups-plan-none = Der Tarif des Servers behält keine Backups.
backups-all-locked = { $limit ->
    [one] Der Tarif behält { $limit } Backup, und es ist gesperrt: zuerst entsperren oder löschen.
   *[other] Der Tarif behält { $limit } Backups, und alle sind gesperrt: zuerst eines entsperren oder löschen.
}
backups-already-running = Ein Backup dieses Servers läuft bereits.
backups-job-busy = ein anderes Backup oder eine Wiederherstellung dieser Welt läuft gerade
backups-job-file-manager = der Pod des Dateimanagers ließ sich nicht beenden: { $error }
backups-job-refused = der Cluster hat den Job abgelehnt: { $error }
backups-job-too-long = der Job dauerte länger als sechs Stunden
backups-job-stuck = der Pod des Jobs kann nicht laufen: { $reason }
backups-job-gone = der Pod des Jobs wurde entfernt
backups-locked = Das Backup ist gesperrt: zuerst entsperren.
backups-still-running = Das Backup läuft noch.
backups-exit-code = Code { $code }
backups-remove-refused = Das Backup konnte nicht aus dem Repository entfernt werden ({ $error }); nichts wurde geändert.
backups-remove-failed = Das Backup konnte nicht entfernt werden: { $error }. Nichts wurde geändert.
backups-running-wait = Ein Backup dieses Servers läuft; bitte warten.
backups-already-restoring = Der Server wird bereits wiederhergestellt.
backups-busy = Ein Backup oder eine Wiederherstellung dieses Servers läuft; nach dem Ende erneut versuchen.
backups-download-not-started = Der Download konnte im Cluster nicht starten; erneut versuchen.
