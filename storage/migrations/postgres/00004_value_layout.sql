-- +goose Up
-- The layout of figures for large imports.
--
-- 1. The indexes for the review queue hold only the figures under review,
--    so that an import of a million drafts does not maintain them.
DROP INDEX indicator_values_status;
CREATE INDEX indicator_values_submitted ON indicator_values (period) WHERE status = 'submitted';
CREATE INDEX indicator_values_approved ON indicator_values (period) WHERE status = 'approved';

-- 2. A figure's indicator and org unit are checked once per statement, over
--    all the rows it wrote, instead of by a foreign key's query per row,
--    which doubled the time of a COPY of a million figures. The check is a
--    foreign key's: the parents are locked FOR KEY SHARE, a missing one is a
--    foreign_key_violation (23503), and deleting or renaming a parent that
--    figures still use is refused by the trigger on the parent, which runs
--    after the parent row is locked and so sees every committed figure.
ALTER TABLE indicator_values DROP CONSTRAINT indicator_values_indicator_code_fkey;
ALTER TABLE indicator_values DROP CONSTRAINT indicator_values_org_unit_code_fkey;

-- +goose StatementBegin
CREATE FUNCTION indicator_values_check_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes   TEXT[];
    missing TEXT;
BEGIN
    codes := ARRAY(SELECT DISTINCT indicator_code FROM new_rows);
    PERFORM 1 FROM indicators WHERE code = ANY (codes) FOR KEY SHARE;
    SELECT c INTO missing FROM unnest(codes) AS c WHERE NOT EXISTS (SELECT 1 FROM indicators WHERE code = c) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'indicator_values: indicator % does not exist', missing USING ERRCODE = 'foreign_key_violation';
    END IF;
    codes := ARRAY(SELECT DISTINCT org_unit_code FROM new_rows);
    PERFORM 1 FROM org_units WHERE code = ANY (codes) FOR KEY SHARE;
    SELECT c INTO missing FROM unnest(codes) AS c WHERE NOT EXISTS (SELECT 1 FROM org_units WHERE code = c) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'indicator_values: org unit % does not exist', missing USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER indicator_values_refs_insert AFTER INSERT ON indicator_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_values_check_refs();
CREATE TRIGGER indicator_values_refs_update AFTER UPDATE ON indicator_values
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION indicator_values_check_refs();

-- +goose StatementBegin
CREATE FUNCTION indicator_values_keep_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.code = OLD.code THEN
        RETURN NEW;
    END IF;
    IF (TG_TABLE_NAME = 'indicators' AND EXISTS (SELECT 1 FROM indicator_values WHERE indicator_code = OLD.code))
        OR (TG_TABLE_NAME = 'org_units' AND EXISTS (SELECT 1 FROM indicator_values WHERE org_unit_code = OLD.code)) THEN
        RAISE EXCEPTION '%: % is still used by indicator_values', TG_TABLE_NAME, OLD.code USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER indicators_keep_values BEFORE DELETE OR UPDATE OF code ON indicators
    FOR EACH ROW EXECUTE FUNCTION indicator_values_keep_parent();
CREATE TRIGGER org_units_keep_values BEFORE DELETE OR UPDATE OF code ON org_units
    FOR EACH ROW EXECUTE FUNCTION indicator_values_keep_parent();

-- 3. An import's audit row holds its figures' states as JSON, hundreds of
--    kilobytes; lz4 compresses it many times faster than the default pglz.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE audit_log ALTER COLUMN before SET COMPRESSION lz4, ALTER COLUMN after SET COMPRESSION lz4;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE audit_log ALTER COLUMN before SET COMPRESSION default, ALTER COLUMN after SET COMPRESSION default;
DROP TRIGGER org_units_keep_values ON org_units;
DROP TRIGGER indicators_keep_values ON indicators;
DROP FUNCTION indicator_values_keep_parent();
DROP TRIGGER indicator_values_refs_update ON indicator_values;
DROP TRIGGER indicator_values_refs_insert ON indicator_values;
DROP FUNCTION indicator_values_check_refs();
ALTER TABLE indicator_values ADD FOREIGN KEY (indicator_code) REFERENCES indicators (code);
ALTER TABLE indicator_values ADD FOREIGN KEY (org_unit_code) REFERENCES org_units (code);
DROP INDEX indicator_values_submitted;
DROP INDEX indicator_values_approved;
CREATE INDEX indicator_values_status ON indicator_values (status, period);
