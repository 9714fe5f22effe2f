## The panel's temporary space for archives: taking turns, and a full disk.

files-scratch-busy-user = Ein eigenes Archiv wird bereits gepackt oder entpackt: bitte warten, bis das fertig ist.
files-scratch-busy-panel = Das Panel packt oder entpackt gerade { $count ->
    [one] { $count } Archiv
   *[other] { $count } Archive
    } für andere: in einer Minute erneut versuchen.
files-scratch-full = Der temporäre Speicher des Panels ist voll: ein kleineres Archiv wählen oder es später erneut versuchen. Nichts wurde geändert.
