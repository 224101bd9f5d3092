-- Forward-only data fix: the moved payloads stay where they are and value stays nullable,
-- since restoring NOT NULL would break every write that does not set value.
select 1;
