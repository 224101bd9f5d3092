-- Only drops extensions nothing depends on any more (restrict is the default).
drop extension if exists "pgcrypto";
drop extension if exists "pg_trgm";
drop extension if exists "uuid-ossp";
