-- Lets the purge of long-expired connect sessions find them without scanning the table.
create index connect_sessions_expires on connect_sessions (expires_at);
