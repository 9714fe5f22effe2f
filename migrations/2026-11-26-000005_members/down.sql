DROP TABLE server_members;
