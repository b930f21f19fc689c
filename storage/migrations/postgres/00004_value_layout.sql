-- +goose Up
-- The indexes for the review queue hold only the figures under review, so
-- that an import of a million drafts does not maintain it.
DROP INDEX indicator_values_status;
CREATE INDEX indicator_values_submitted ON indicator_values (period) WHERE status = 'submitted';
CREATE INDEX indicator_values_approved ON indicator_values (period) WHERE status = 'approved';

-- +goose Down
DROP INDEX indicator_values_submitted;
DROP INDEX indicator_values_approved;
CREATE INDEX indicator_values_status ON indicator_values (status, period);
