## The graphs' data.

samples-hours-range = Diagramme reichen 1 bis { $max } Stunden zurück.
