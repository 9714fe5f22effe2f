DROP TABLE sso_logins;
DROP TABLE user_identities;
DROP INDEX users_email_key;
ALTER TABLE users DROP COLUMN email;
