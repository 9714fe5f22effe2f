## The game versions a server can run: reading the publishers' lists.

game-versions-unreadable = Die Versionsliste konnte nicht gelesen werden: { $reason }
game-versions-rate-limited = Die Versionsliste verlangt vom Panel, seltener anzufragen: in einer Minute noch einmal versuchen.
game-versions-status = sie antwortete mit { $status }
game-versions-too-large = die Antwort ist zu groß
game-versions-unknown-shape = eine Antwort in unbekannter Form ({ $reason })
game-versions-no-version = Die Vorlage dieses Servers hat keine VERSION zum Auswählen.
game-versions-no-type = Die Vorlage dieses Servers nennt keinen Servertyp (TYPE), daher kennt das Panel keine Liste seiner Versionen.
