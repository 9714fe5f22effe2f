DROP TABLE server_samples;
