## The panel's temporary space for archives: taking turns, and a full disk.

files-scratch-busy-user = You are already packing or unpacking an archive: wait for it to finish.
files-scratch-busy-panel = The panel is packing or unpacking { $count ->
    [one] { $count } archive
   *[other] { $count } archives
    } for others right now: try again in a minute.
files-scratch-full = The panel's temporary space is full: try a smaller archive, or again later. Nothing was changed.
