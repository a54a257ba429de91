-- db-scheduler's table (its own DDL, for H2): it keeps the saga's durable deadlines.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BLOB,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            VARCHAR(50),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
-- The poll for due executions (every db-scheduler.polling-interval) reads this index.
CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
-- Not db-scheduler's other two (docs/design.md #44): every checkout inserts one deadline here and deletes it, and H2
-- writes (and at the commit re-writes) an entry in every index each time. last_heartbeat_idx serves only the search
-- for dead executions, among the few picked rows, every few minutes; priority_execution_time_idx serves only
-- db-scheduler.priority-enabled, which is off (with it on, create that index). A database made before keeps them.
