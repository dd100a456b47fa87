-- Runs once, when the data folder is empty (the postgres image's initdb hook).
CREATE DATABASE app;
