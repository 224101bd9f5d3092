-- Seed 001 §4: the private bucket for group media, served only through signed URLs.
-- A bucket someone made public by hand is made private again.
insert into storage.buckets (id, name, public)
values ('wa-media', 'wa-media', false)
on conflict (id) do update set public = false where storage.buckets.public;
