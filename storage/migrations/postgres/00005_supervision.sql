-- +goose Up
-- Who a project's coordination ladder reaches: its department's principal
-- and its city leader in contact (its leader in charge is projects.leader).
ALTER TABLE departments ADD COLUMN head TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN city_leader TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE projects DROP COLUMN city_leader;
ALTER TABLE departments DROP COLUMN head;
