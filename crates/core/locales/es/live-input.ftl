## Console input: checking a command and delivering it to the server.

live-input-empty = Escribir primero un comando.
live-input-too-long = Los comandos tienen como máximo { $max } bytes.
live-input-one-line = Los comandos son una sola línea, sin caracteres de control.
live-input-looks-like-an-option = En este servidor, los comandos de consola no pueden empezar por «-».
live-input-not-delivered = No se pudo entregar el comando: { $error }
live-input-timed-out = El servidor no aceptó el comando a tiempo.
