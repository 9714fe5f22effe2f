DROP TABLE server_ports;
