## The graphs' data.

samples-hours-range = Los gráficos abarcan de 1 a { $max } horas atrás.
