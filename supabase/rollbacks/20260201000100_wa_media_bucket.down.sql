delete from storage.buckets where id = 'wa-media' and not exists (select 1 from storage.objects o where o.bucket_id = 'wa-media');
