## The graphs' data.

samples-hours-range = Graphs reach back 1 to { $max } hours.
