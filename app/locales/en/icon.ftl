## The server's icon: the form on the server page and its errors.

icon-browser-failed = the browser could not do it
icon-too-large = Choose a picture of at most 10 MB.
icon-not-picture = That is not a picture.
icon-unreadable = The browser cannot read that picture.
icon-empty = The picture is empty.
icon-no-canvas = The browser cannot draw.
icon-no-png = The browser did not make a PNG.
icon-upload-failed = The upload failed ({ $status }).
icon-saved = Saved as server-icon.png: players see it after the next start.
icon-title = Icon
icon-new-alt = The new icon
icon-current-alt = The server's icon
icon-picture = A picture (cropped to a square, 64×64 pixels)
icon-saving = Saving the icon…
