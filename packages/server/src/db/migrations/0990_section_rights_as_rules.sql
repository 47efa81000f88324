-- Section rights are access rules now (policies/sections.ts), asked through the same registry
-- as every other rule; policies/sections.test.ts proves they equal the rows 0001 seeded here.
drop table section_rights;
