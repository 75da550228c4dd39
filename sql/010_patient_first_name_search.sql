-- Patient Administration search by first name: "riley" finds Riley Parent, as "parent" always did. One word is a
-- prefix of the first or of the last name; "riley parent" (first name first) reads the first-name-first column too.
-- Same reasoning as 006: under row-level security only leakproof comparisons become index conditions, so the
-- first-name-first form is a plain "C"-collated column searched by range, with an index whose order is the order
-- of the results (namesakes by account number), and a page of 25 is read straight off it.
alter table patients
  add column search_first text collate "C" generated always as (lower(first_name || ' ' || last_name)) stored;
create index patients_search_first on patients (tenant_id, search_first, (account_number collate "C"));
