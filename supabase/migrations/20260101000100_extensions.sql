-- Extensions both seeds use: uuid_generate_v4(), trigram search, gen_random_bytes/digest.
create extension if not exists "uuid-ossp";
create extension if not exists "pg_trgm";
create extension if not exists "pgcrypto";
