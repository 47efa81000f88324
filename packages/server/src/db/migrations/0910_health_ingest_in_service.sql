-- Report ingest is judged in the health service and written through its repository in one
-- transaction per batch (modules/health/service.ts): the PL/pgSQL functions it called are gone.
drop function if exists health_store_reports;
drop function if exists health_store_report;
