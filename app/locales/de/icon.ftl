## The server's icon: the form on the server page and its errors.

icon-browser-failed = der Browser konnte es nicht ausführen
icon-too-large = Bitte ein Bild von höchstens 10 MB wählen.
icon-not-picture = Das ist kein Bild.
icon-unreadable = Der Browser kann dieses Bild nicht lesen.
icon-empty = Das Bild ist leer.
icon-no-canvas = Der Browser kann nicht zeichnen.
icon-no-png = Der Browser hat kein PNG erzeugt.
icon-upload-failed = Das Hochladen ist fehlgeschlagen ({ $status }).
icon-saved = Als server-icon.png gespeichert: Spieler sehen es nach dem nächsten Start.
icon-title = Icon
icon-new-alt = Das neue Icon
icon-current-alt = Das Icon des Servers
icon-picture = Ein Bild (auf ein Quadrat zugeschnitten, 64×64 Pixel)
icon-saving = Icon wird gespeichert…
