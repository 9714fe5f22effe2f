## The game versions a server can run: reading the publishers' lists.

game-versions-unreadable = The version list could not be read: { $reason }
game-versions-rate-limited = The version list asks the panel to slow down: try again in a minute.
game-versions-status = it answered { $status }
game-versions-too-large = the answer is too large
game-versions-unknown-shape = an answer of an unknown shape ({ $reason })
game-versions-no-version = This server's template has no VERSION to choose.
game-versions-no-type = This server's template names no server type (TYPE), so the panel knows no list of its versions.
