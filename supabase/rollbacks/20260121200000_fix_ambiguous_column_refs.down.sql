-- Forward-only: the dropped index duplicated the primary key; recreating it would only cost writes.
select 1;
