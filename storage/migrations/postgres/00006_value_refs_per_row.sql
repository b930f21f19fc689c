-- +goose Up
-- A figure's indicator and org unit are checked per row again, as a
-- foreign key would, by a BEFORE trigger that locks the parents FOR KEY
-- SHARE; the statement-level check over a transition table (00004) cost an
-- import a third of its COPY. An import checks its whole batch's parents at
-- once, with the same locks, and then skips the per-row check for its COPY
-- by setting lantu.refs_checked for that statement only (storage.PutValues);
-- every other writer is checked row by row.
DROP TRIGGER IF EXISTS indicator_values_refs_insert ON indicator_values;
DROP TRIGGER IF EXISTS indicator_values_refs_update ON indicator_values;
DROP FUNCTION IF EXISTS indicator_values_check_refs();

-- +goose StatementBegin
CREATE FUNCTION indicator_values_check_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM indicators WHERE code = NEW.indicator_code FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'indicator_values: indicator % does not exist', NEW.indicator_code USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM 1 FROM org_units WHERE code = NEW.org_unit_code FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'indicator_values: org unit % does not exist', NEW.org_unit_code USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER indicator_values_refs BEFORE INSERT OR UPDATE OF indicator_code, org_unit_code ON indicator_values
    FOR EACH ROW WHEN (current_setting('lantu.refs_checked', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION indicator_values_check_row();

-- +goose Down
DROP TRIGGER indicator_values_refs ON indicator_values;
DROP FUNCTION indicator_values_check_row();
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
