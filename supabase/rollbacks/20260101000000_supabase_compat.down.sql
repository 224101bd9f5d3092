-- The compat objects are shared with Supabase itself and with every later migration;
-- dropping them would break a Supabase project. Rolling back this migration removes only its
-- history row (done by wabase db rollback) and leaves the objects in place.
select 1;
