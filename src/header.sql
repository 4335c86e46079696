-- dealscope install script, assembled by the Makefile from src/*.sql.
\echo Use "CREATE EXTENSION dealscope" to load this file. \quit
